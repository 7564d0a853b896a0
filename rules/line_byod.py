"""LINE Mobile 持込端末保証 (seed 003, second half): the customer's own, registered phone, repaired or exchanged for a fee."""

from __future__ import annotations

from . import line_common as common
from . import terms as terms_data
from .engine import Candidate, Claim, Program
from .fields import Month
from .fmt import day_t, t, yen
from .model import Choice, Condition, Field
from .periods import first_of_next_month, month_end, shift_month

DATA = "line_byod"
TERMS = terms_data.load(DATA)  # the shared LINE code reads this program's clause ids and wording from it

FIELDS: tuple[Field, ...] = (
    common.contract_field(TERMS),
    Field(
        "sim_only_signup",
        "bool",
        t("Did you sign up for “SIM card only” and bring your own phone?", "「SIMカードのみ」で申し込み、端末をご自身で用意しましたか"),
        clause="lnb-sim-only",
    ),
    # each question is asked once the answers before it leave the claim open: a "no" (or "yes, Wi-Fi only") decides it
    *common.after(Condition("sim_only_signup", common.YES), common.signup_field(TERMS)),
    *common.after(
        Condition("joined_at_signup", common.YES),
        Field(
            "os",
            "choice",
            t("Operating system", "端末のOS"),
            choices=(
                Choice("android", t("Android", "Android")),
                Choice("ios", t("iOS (iPhone)", "iOS（iPhone）")),
            ),
            clause="lnb-japan-model",
        ),
        Field("wifi_model", "bool", t("Is it a Wi-Fi-only model?", "Wi-Fiモデルの端末ですか"), clause="lnb-wifi"),
    ),
    *common.after(
        Condition("wifi_model", ("false",)),
        Field(
            "japan_model",
            "bool",
            t(
                "Is it a genuine Japanese-market model with 技適 certification?",
                "日本国内で販売されたメーカー正規品で、技適に適合した端末ですか",
            ),
            help=t(
                "Sold in Japan by the maker and compliant with Japan's technical standards (技適マーク).",
                "日本国内で販売された正規品で、法律で定められた技術基準に適合している端末です。",
            ),
            clause="lnb-japan-model",
        ),
    ),
    *common.after(
        Condition("japan_model", common.YES),
        Field(
            "imei_registered_date",
            "date",
            t("Date you registered the phone's IMEI (blank if not registered)", "IMEI（端末情報）を登録した日（未登録なら空欄）"),
            help=t(
                "Registration is made on LINE Mobile's dedicated page (smartwarrantygate.jp).",
                "登録は専用ページ（smartwarrantygate.jp）で行います。",
            ),
            required=False,
            clause="lnb-imei-registration",
        ),
    ),
    *common.after(
        Condition("imei_registered_date", op="filled"),
        Field(
            "registered_in_good_condition",
            "bool",
            t(
                "When you registered it, was the phone working, with no cracks or water damage?",
                "登録時、端末は画面割れ・ケース割れ・水濡れ等がなく正常に動作していましたか",
            ),
            clause="lnb-good-condition",
        ),
        Field(
            "imei",
            "imei",
            t("IMEI", "IMEI"),
            help=t("15 digits; dial *#06# to see it.", "15桁の数字です。*#06# で表示できます。"),
            required=False,
            clause="lnb-imei-registration",
        ),
    ),
    *common.after(
        Condition("registered_in_good_condition", common.YES),
        *common.claim_fields(TERMS),
        Field(
            "release_month",
            "month",
            t("Month the maker released this model (YYYY-MM)", "メーカーの発売月（YYYY-MM）"),
            help=t(
                "After an exchange under this option, give the replacement's release month.",
                "本オプションで交換した場合は交換端末の発売月です。",
            ),
            show_if=(Condition("damage", ("malfunction",)),),
            clause="lnb-period-malfunction",
        ),
        Field(
            "service",
            "choice",
            t("What do you ask for?", "ご希望のサービス"),
            choices=(
                Choice("repair", t("Repair", "修理")),
                Choice("exchange", t("Exchange", "交換")),
            ),
            clause="lnb-services",
        ),
        Field(
            "repair_cost_jpy",
            "int",
            t("Repair cost in yen, if known", "修理費用（円、分かる場合）"),
            required=False,
            minimum=0,
            unit="jpy",
            help=t(
                "As quoted, before tax: 70000, 70,000, ¥70,000 and 70,000円 all work.",
                "見積もりの税抜金額です。70000、70,000、¥70,000、70,000円のいずれの書き方でもかまいません。",
            ),
            show_if=(Condition("service", ("repair",)),),
            clause="lnb-repair-cap",
        ),
        *common.tail_fields(TERMS),
        Field(
            "loaner",
            "bool",
            t("Do you want a loaner phone?", "貸出端末を希望しますか"),
            required=False,
            default="false",
            clause="lnb-loaner",
        ),
    ),
)


def check_answers(claim: Claim) -> None:
    """Registration and release dates that cannot be true (invalid, not an exclusion)."""
    common.check_dates(claim)
    contract, claimed, registered = claim.get("contract_date"), claim.get("claim_date"), claim.get("imei_registered_date")
    incident, release = claim.get("incident_date"), claim.get("release_month")
    if contract and registered and registered < contract:
        claim.error(
            "imei_registered_date",
            "before_contract",
            "registration is made on or after the contract date.",
            "端末情報の登録は契約成立日以降に行います。",
        )
    if claimed and registered and registered > claimed:
        claim.error("imei_registered_date", "after_claim", "this is after the date of your request.", "依頼日より後の日付です。")
    if release and incident and (release.year, release.month) > (incident.year, incident.month):
        claim.error(
            "release_month",
            "after_incident",
            "the model was not released yet when the trouble happened.",
            "トラブル発生時点では未発売の月です。",
        )


def check_device(claim: Claim) -> None:
    """Which phones can be covered: registered in good order, Japanese model, not Wi-Fi only (lnb-imei-registration ... lnb-wifi)."""
    if claim.get("wifi_model") is True:
        claim.exclude("wifi_model", "lnb-wifi", t("Wi-Fi-only models are not covered.", "Wi-Fiモデルの端末は保証の対象外です。"))
    if claim.get("japan_model") is False:
        claim.exclude(
            "not_japan_model",
            "lnb-japan-model",
            t(
                "Only genuine models sold in Japan, running Android or iOS and certified to Japan's technical standards (技適), are "
                "covered.",
                "日本国内で販売されたメーカー正規品で、OSがAndroidかiOS、かつ技術基準適合（技適）の端末のみが対象です。",
            ),
        )
    registered, incident = claim.get("imei_registered_date"), claim.get("incident_date")
    if registered is None and "imei_registered_date" not in claim.answers.asked:
        return  # not asked yet: an earlier answer already decides the claim
    if registered is None:
        claim.exclude(
            "imei_not_registered",
            "lnb-imei-registration",
            t(
                "The phone's IMEI has not been registered. Without registration the option cannot be used, even if you have paid the "
                "monthly fee.",
                "端末情報（IMEI）が未登録です。未登録の場合、月額料金をお支払いいただいていても本オプションは利用できません。",
            ),
        )
        return
    if incident and incident < registered:
        claim.exclude(
            "incident_before_registration",
            "lnb-imei-registration",
            t(
                f"The trouble happened before you registered the IMEI on {day_t(registered)['en']}, so it is not covered, even if you "
                "have paid the monthly fee.",
                f"トラブルはIMEI登録日（{day_t(registered)['ja']}）より前に発生しているため、月額料金をお支払いいただいていても対象外です。",
            ),
            "LNB-IMEI-SAME-DAY",
        )
    good = claim.get("registered_in_good_condition")  # asked once a registration date is given (schema: filled)
    if good is True and not (incident and incident < registered):
        claim.reason(
            "registered",
            "lnb-imei-registration",
            t(
                f"The phone was registered in good condition on {day_t(registered)['en']}, no later than the day of the trouble.",
                f"端末は{day_t(registered)['ja']}に正常な状態で登録されており、トラブルは登録日以降に発生しています。",
            ),
            "LNB-IMEI-SAME-DAY",
        )
    elif good is False:
        claim.exclude(
            "not_good_condition",
            "lnb-good-condition",
            t(
                "Only phones that were working, with no cracked screen or case and no water damage, when registered can be covered.",
                "登録時に画面割れ・ケース割れ・水濡れ等がなく、正常に動作していた端末のみが対象です。",
            ),
        )


def check_window(claim: Claim) -> None:
    """From the 1st of the month after the contract month; malfunction to the release window, accidents until cancellation."""
    contract, incident, cancelled, damage = (claim.get(n) for n in ("contract_date", "incident_date", "cancelled_date", "damage"))
    if not contract:
        return
    d = claim.decision
    start = first_of_next_month(contract)  # lnb-period-start
    d.coverage_start = start
    d.coverage_end = cancelled  # lnb-period-accident: open-ended until cancelled (LNB-CANCEL)
    d.coverage_label = t("Cover period", "保証期間")
    release: Month | None = claim.get("release_month")
    release_end = None
    years = claim.amount("malfunction.months", claim.on()) // 12
    if damage == "malfunction" and release:
        release_end = month_end(*shift_month(release.year, release.month, claim.amount("malfunction.months", claim.on())))
        d.coverage_end = min(release_end, cancelled) if cancelled else release_end
    if d.coverage_end is not None and d.coverage_end < start:
        # the window closed before it began: the dates stay (an empty window, not an open-ended one) and a reason says so
        if cancelled and cancelled < start:
            claim.exclude(
                "cancelled_before_start",
                "lnb-billing-cancel",
                t(
                    f"You cancelled the option on {day_t(cancelled)['en']}, before its cover began on {day_t(start)['en']}: it never "
                    "covered this phone.",
                    f"オプションは保証開始日（{day_t(start)['ja']}）より前の{day_t(cancelled)['ja']}に解約されているため、この端末を保証した期間はありません。",
                ),
                "LNB-CANCEL",
            )
        else:
            assert release_end is not None
            claim.exclude(
                "malfunction_window_empty",
                "lnb-period-malfunction",
                t(
                    f"Malfunction cover for this model ended on {day_t(release_end)['en']}, the end of the month {years} years after its "
                    "release,"
                    f" before the option's cover began on {day_t(start)['en']}: malfunction is not covered at all. Water damage and "
                    "breakage would be.",
                    f"この機種の自然故障の保証は発売月の{years}年後の月末（{day_t(release_end)['ja']}）に終了しており、本オプションの保証開始日"
                    f"（{day_t(start)['ja']}）より前のため、自然故障は対象になりません。水濡れ・破損であれば対象です。",
                ),
                "LNB-RELEASE-MONTH",
            )
        return
    if common.check_before_cover(claim, start) or not incident:
        return
    after_cancel = cancelled is not None and incident > cancelled  # LNB-CANCEL says why (check_cancellation)
    if release_end is not None and incident > release_end:
        claim.exclude(
            "malfunction_period_ended",
            "lnb-period-malfunction",
            t(
                f"Malfunction is covered until the end of the month {years} years after the maker's release month, "
                f"{day_t(release_end)['en']}; "
                "the trouble happened later. Water damage and breakage would still be covered.",
                f"自然故障の保証はメーカー発売月の{years}年後の同月末日（{day_t(release_end)['ja']}）までで、トラブルはその後に発生しています。"
                "水濡れ・破損であれば引き続き対象です。",
            ),
            "LNB-RELEASE-MONTH",
        )
    elif after_cancel:
        return
    elif release_end is not None:
        claim.reason(
            "in_period",
            "lnb-period-malfunction",
            t(
                f"Malfunction is covered from {day_t(start)['en']} to {day_t(release_end)['en']}, {years} years after the release "
                "month; the trouble falls within that.",
                f"自然故障の保証期間（{day_t(start)['ja']}から発売月の{years}年後の{day_t(release_end)['ja']}まで）内のトラブルです。",
            ),
            "LNB-RELEASE-MONTH",
        )
    elif damage in ("water", "breakage"):
        claim.reason(
            "in_period",
            "lnb-period-accident",
            t(
                f"Water damage and breakage are covered from {day_t(start)['en']} until the option is cancelled.",
                f"水濡れ・破損は{day_t(start)['ja']}から本オプションを解約するまで保証されます。",
            ),
            "LNB-ACCIDENT-SCOPE",
        )


def check_service(claim: Claim, fee: int | None) -> None:
    """iOS devices are repaired only; say when a repair would have been covered (lnb-services, LNB-SERVICE)."""
    if claim.get("service") != "exchange" or claim.get("os") != "ios":
        return
    otherwise_covered = not claim.excluded
    claim.exclude(
        "ios_exchange",
        "lnb-services",
        t(
            "Exchange is available for Android phones only; iOS devices are accepted for repair only.",
            "交換の対象はAndroid端末のみです。iOS端末は修理のみの受け付けとなります。",
        ),
        "LNB-SERVICE",
    )
    if otherwise_covered and fee is not None:
        claim.note(
            "repair_available",
            "lnb-services",
            t(
                f"A repair would be covered: ask for a repair instead (fee {yen(fee, 'en')} before tax, plus any repair cost above the "
                "cap).",
                f"修理であれば保証の対象です。修理をご依頼ください（修理代金{yen(fee, 'ja')}（税抜）、上限額を超える修理費用は別途負担）。",
            ),
            "LNB-SERVICE",
        )


def repair_excess(claim: Claim) -> int:
    """The untaxed part of the repair cost above the cap the customer pays on top of the fee (lnb-repair-cap, LNB-CAP)."""
    cap = claim.amount("repair_cap", claim.on())
    claim.decision.cap_jpy = cap
    cost = claim.get("repair_cost_jpy")
    if cost is None:
        claim.note(
            "cap_unknown",
            "lnb-repair-cap",
            t(
                f"Repairs are covered up to {yen(cap, 'en')}; if the repair costs more, you also pay the part above {yen(cap, 'en')} "
                "(not taxed).",
                f"修理費用の保証上限は{yen(cap, 'ja')}です。超える場合は、超過分（非課税）も負担となります。",
            ),
            "LNB-CAP",
        )
        return 0
    if cost > cap:
        excess = cost - cap
        claim.note(
            "over_cap",
            "lnb-repair-cap",
            t(
                f"The repair costs {yen(cost, 'en')}, above the {yen(cap, 'en')} cap: you also pay the excess of {yen(excess, 'en')} "
                "(not taxed).",
                f"修理費用{yen(cost, 'ja')}は上限{yen(cap, 'ja')}を超えるため、超過分{yen(excess, 'ja')}（非課税）も負担となります。",
            ),
            "LNB-CAP",
        )
        return excess
    claim.note(
        "within_cap",
        "lnb-repair-cap",
        t(
            f"The repair cost of {yen(cost, 'en')} is within the {yen(cap, 'en')} cap: you pay the fee only.",
            f"修理費用{yen(cost, 'ja')}は上限{yen(cap, 'ja')}以内のため、修理代金のみの負担です。",
        ),
        "LNB-CAP",
    )
    return 0


def decide(claim: Claim) -> None:
    """Eligibility, device, scope, window, cancellation, 年2回まで, then the service asked for; each failing clause is recorded."""
    check_answers(claim)
    if claim.decision.errors:
        return
    if claim.get("sim_only_signup") is False:
        claim.exclude(
            "not_sim_only",
            "lnb-sim-only",
            t(
                "持込端末保証 is for customers who signed up for “SIM card only” with their own phone. A phone bought from LINE Mobile is "
                "covered by 端末保証 instead.",
                "持込端末保証は「SIMカードのみ」で申し込み、ご自身で端末を用意した方が対象です。LINEモバイルで購入した端末は端末保証の対象です。",
            ),
        )
    elif claim.get("sim_only_signup") is True:
        claim.reason(
            "sim_only",
            "lnb-sim-only",
            t("You signed up for “SIM card only” with your own phone.", "「SIMカードのみ」で申し込み、ご自身で端末を用意しています。"),
        )
    common.check_signup(claim)
    check_device(claim)
    common.check_damage(claim)
    check_window(claim)
    if claim.decision.coverage_end is None or claim.decision.coverage_end >= claim.decision.coverage_start:
        common.check_cancellation(claim)  # an option cancelled before its cover began says so once (check_window)
    fee = common.apply_fee(claim)
    check_service(claim, fee)
    if not claim.trying:
        claim.decision.billing = common.billing(claim, None)
    if claim.excluded or claim.decision.missing or fee is None:
        return
    settle(claim, fee)


def settle(claim: Claim, fee: int) -> None:
    """A covered request: fee and any excess, the call, diagnosis, and what to do before sending (lnb-dispatch ... lnb-find-my)."""
    service = claim.get("service")
    claim.set_fee(fee, repair_excess(claim) if service == "repair" else 0)
    claim.decision.remedies = [service]
    if claim.trying:
        return  # the rest only advises
    claim.note(
        "service_after_diagnosis",
        "lnb-diagnosis",
        t(
            "LINE Mobile diagnoses the phone and tells you by phone whether it will be repaired or exchanged; this answer is for the "
            "service you asked about.",
            "LINEモバイルが診断し、修理か交換かを電話でお知らせします。この判定はご希望のサービスについてのものです。",
        ),
        "LNB-SERVICE",
    )
    loaner = claim.get("loaner") is True
    shipped = (
        t("the return kit and your loaner phone are sent", "返送キットと貸出端末を")
        if loaner
        else t("the return kit is sent", "返送キットを")
    )
    common.call_steps(claim, shipped)
    weeks = claim.amount("delivery.weeks", claim.on())
    claim.step(
        "diagnosis",
        "lnb-diagnosis",
        t(
            "Send the broken phone in the return kit. After the diagnosis, the repaired or replacement phone is sent to you, about "
            f"{weeks} weeks after your call.",
            f"故障端末を返送キットで送付してください。診断後、修理完了端末または交換端末を送付します。お届けまでの期間は約{weeks}週間です。",
        ),
    )
    common.common_obligations(claim)
    if claim.get("os") == "ios":
        claim.obligation(
            "find_my_off",
            "lnb-find-my",
            t(
                "Turn off Find My iPhone and reset the phone to factory settings before sending it; the maker can help if you are "
                "unsure how.",
                "送付前に「iPhoneを探す」をオフにし、端末を初期化してください。設定方法が分からない場合はメーカーへお問い合わせください。",
            ),
        )
    if loaner:
        claim.obligation(
            "return_loaner",
            "lnb-loaner",
            t(
                "Return the loaner phone in the box the repaired or replacement phone came in.",
                "貸出端末は、修理完了端末または交換端末が入っていた箱を使用して返却してください。",
            ),
        )


def candidates(claim: Claim) -> list[Candidate]:
    """Nearest first: the other service (LNB-SERVICE), the time or day of the call, then the count of earlier claims."""
    found: list[Candidate] = []
    service = claim.get("service")
    if service == "exchange":
        found.append(
            Candidate(
                {"service": "repair"},
                lambda r: t(
                    f"A repair would be covered: {common.pays(r)['en']}, plus any repair cost above the cap.",
                    f"修理であれば対象です（{common.pays(r)['ja']}、上限額を超える修理費用は別途）。",
                ),
            )
        )
    elif service == "repair" and claim.get("os") == "android":
        found.append(
            Candidate(
                {"service": "exchange"},
                lambda r: t(
                    f"An exchange has no repair cap: if LINE Mobile exchanges the phone after diagnosis, {common.pays(r)['en']}.",
                    f"交換には修理費用の上限がありません。診断の結果交換となった場合は{common.pays(r)['ja']}です。",
                ),
            )
        )
    return found + common.timing_candidates(claim) + common.count_candidates(claim)


PROGRAM = Program(
    id="line-byod",
    title=t("LINE Mobile own-device warranty (持込端末保証)", "LINEモバイル 持込端末保証"),
    data=DATA,
    fields=FIELDS,
    decide=decide,
    contact=common.contact,
    candidates=candidates,
)
