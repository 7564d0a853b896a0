"""ismartphones.jp limited warranty and 30-day return policy (seed 000), as restated on site/terms/ismartphones.md.

Every number lives in rules/data/ismartphones.toml; every reason cites an `ism-*` clause of the terms page
and, where the garbled source needed a reading, an `ISM-*` interpretation from the same data file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from .engine import Candidate, Claim, Program
from .fmt import Text, day_t, t
from .model import Choice, Condition, Field, Step
from .periods import add_days, add_months
from .terms import Terms

WARRANTY = "warranty"
RETURN = "return"
ONLY_WARRANTY = Condition("request", (WARRANTY,))
ONLY_RETURN = Condition("request", (RETURN,))
ITEM_GIVEN = Condition("item", op="filled")
# Each warranty question is asked once the answers before it leave the claim open: a cause other than a fault in the
# item, or an opened item, decides it (ism-coverage, section 3), so the questions after it are not asked.

ITEMS = (
    Choice("mobile_device", t("Mobile phone or tablet (the device itself)", "携帯電話・タブレット本体")),
    Choice(
        "accessory",
        t(
            "Accessory: battery, charger, desktop stand, headset, cable or cover",
            "アクセサリー：バッテリー、充電器、卓上スタンド、ヘッドセット、ケーブル、カバー",
        ),
    ),
    Choice("consumable", t("Consumable part", "消耗品")),
    Choice("remanufactured", t("Remanufactured (refurbished) item", "再生品（リファービッシュ品）")),
    Choice("software_media", t("Media the software came on (CD-ROM, memory card)", "ソフトウェアの記録媒体（CD-ROM、メモリーカード）")),
)

CAUSES = (
    Choice("defect", t("A fault in the item itself (materials or manufacture)", "商品自体の不具合（材料・製造上の欠陥）")),
    Choice("normal_wear", t("Normal wear (camera lens, battery, display)", "通常の使用による摩耗（カメラレンズ、バッテリー、画面）")),
    Choice("rough_handling", t("Rough handling: dropped, bent, crushed or cut", "乱暴な取り扱い：落下、曲げ、圧迫、鋭利な物による損傷")),
    Choice("misuse", t("Used against the maker's instructions", "メーカーの取扱説明に反する使用")),
    Choice(
        "liquid_or_environment",
        t("Liquid, humidity, heat, corrosion or chemicals", "液体、湿気、高温・低温、腐食、化学製品"),
    ),
    Choice("unauthorized_access", t("A virus, hacking or other unauthorised access", "ウイルス、ハッキングなどの不正アクセス")),
    Choice(
        "incompatible_product",
        t("Used with a product, accessory or service not approved for it", "承認されていない製品・アクセサリー・サービスとの併用"),
    ),
    Choice(
        "battery_tampering",
        t(
            "Battery short-circuited, its seals broken, or used in other equipment",
            "バッテリーの短絡・封印の破損、または指定外の機器での使用",
        ),
    ),
    Choice("software", t("A software problem (errors, interruptions, compatibility)", "ソフトウェアの問題（エラー、停止、互換性）")),
    Choice("outside_control", t("Something beyond ismartphones.jp's reasonable control", "ismartphones.jp の合理的な管理を超える事由")),
)

FIELDS = (
    Field(
        "request",
        "choice",
        t("What would you like?", "ご希望の手続き"),
        help=t(
            "A warranty repair or exchange for a faulty item, or a return under the {return_window_days}-day return policy.",
            "不具合のある商品の保証修理・交換か、{return_window_days}日間返品ポリシーによる返品かを選んでください。",
        ),
        choices=(
            Choice(WARRANTY, t("Warranty repair or exchange", "保証による修理・交換")),
            Choice(RETURN, t("Return the item ({return_window_days}-day policy)", "返品（{return_window_days}日間返品ポリシー）")),
        ),
        default=WARRANTY,
        clause="ism-coverage",
    ),
    Field(
        "item",
        "choice",
        t("Which item (or part) is it about?", "対象の商品（部品）"),
        help=t(
            "Choose the part that is at fault: a battery or charger has its own, shorter period even if it came with the phone.",
            "不具合のある部品を選んでください。バッテリーや充電器は、本体に付属していたものでも本体より短い保証期間になります。",
        ),
        choices=ITEMS,
        clause="ism-period-parts",
    ),
    Field(
        "received_date",
        "date",
        t("Date the first owner received it", "最初の使用者が受け取った日"),
        help=t(
            "The warranty and the return window start here. Bought second-hand? Give the first owner's date: resale does not restart it.",
            "保証期間と返品期間はこの日から始まります。中古で購入した場合も、最初の使用者が受け取った日を入力してください（転売で期間は新しくなりません）。",
        ),
        # ISM-RETURN-UNSHIPPED: an order not shipped yet has no receipt date to ask for
        show_if=(Condition("item_state", ("unshipped",), "not_in"),),
        clause="ism-period-start",
    ),
    Field(
        "claim_date",
        "date",
        t("Date of your claim", "申請日"),
        help=t(
            "The day you submit the claim or ask for the return.",
            "申請または返品を申し出る日です。",
        ),
        default="today",
        clause="ism-coverage",
    ),
    Field(
        "last_repair_date",
        "date",
        t("Last warranty repair or exchange (if any)", "前回の保証修理・交換の日（ある場合）"),
        help=t(
            "Only a repair or exchange done under this warranty counts. Leave blank if there was none.",
            "この保証による修理・交換のみが対象です。なければ空欄のままにしてください。",
        ),
        required=False,
        show_if=(ONLY_WARRANTY, ITEM_GIVEN),
        clause="ism-period-repair",
    ),
    Field(
        "cause",
        "choice",
        t("What caused the problem?", "不具合の原因"),
        help=t(
            "Pick the closest match; only a fault in the item itself is covered.",
            "最も近いものを選んでください。保証の対象は商品自体の不具合のみです。",
        ),
        choices=CAUSES,
        show_if=(ONLY_WARRANTY, ITEM_GIVEN),
        clause="ism-coverage",
    ),
    Field(
        "opened_or_modified",
        "bool",
        t(
            "Opened, modified or repaired by anyone other than an authorised service centre?",
            "正規サービスセンター以外で開封・改造・修理されましたか？",
        ),
        help=t("Including repairs with unauthorised spare parts.", "非正規の部品による修理も含みます。"),
        show_if=(ONLY_WARRANTY, Condition("cause", ("defect",))),  # any other cause is excluded already
        clause="ism-excl-opened",
    ),
    Field(
        "serial_unreadable",
        "bool",
        t(
            "Is the serial number, date code or IMEI removed, altered or unreadable?",
            "製造番号・日付コード・IMEIが削除・改変されているか、読み取れませんか？",
        ),
        show_if=(ONLY_WARRANTY, Condition("opened_or_modified", ("false",))),
        clause="ism-excl-serial",
    ),
    Field(
        "sim",
        "choice",
        t("Which SIM have you used in it?", "使用したSIMカード"),
        help=t(
            "Non-standard means copied SIMs, dual or multi-SIM modules, SIM adapters or carriers, or a micro-SIM in a standard-size slot.",
            "非正規とは、複製SIM、デュアル／マルチSIMモジュール、SIMアダプター・キャリア、標準サイズのスロットでのmicroSIMの使用をいいます。",
        ),
        choices=(
            Choice("standard", t("Only SIMs issued by my network operator", "契約している通信事業者が発行したSIMのみ")),
            Choice("non_standard", t("A non-standard SIM, adapter or multi-SIM module", "非正規のSIM、アダプター、マルチSIMモジュール")),
            Choice(
                "none", t("No SIM: it is not a phone, or a Wi-Fi-only tablet", "SIMなし（電話機ではない、またはWi-Fiモデルのタブレット）")
            ),
        ),
        # ISM-SIM-VOID: a refurbished phone is a handset too, so the question is asked for remanufactured items
        show_if=(ONLY_WARRANTY, Condition("serial_unreadable", ("false",)), Condition("item", ("mobile_device", "remanufactured"))),
        clause="ism-sim-void",
    ),
    Field(
        "item_state",
        "choice",
        t("What state is the order in?", "商品の状態"),
        choices=(
            Choice("unshipped", t("Not shipped to me yet", "まだ発送されていない")),
            Choice("unopened", t("Received, still unopened", "受け取ったが未開封")),
            Choice("opened", t("Received and opened", "受け取って開封した")),
        ),
        show_if=(ONLY_RETURN,),
        clause="ism-return-unopened",
    ),
)


class Window(NamedTuple):
    """A period from a start date, with its end and the clause (and length) that set it."""

    start: date
    end: date
    length: Text  # "12 months" / "12か月"
    clause: str
    interpretation: str = "GEN-PERIOD"
    span: Text | None = None  # the length as a modifier: "12-month" / "12か月間"


class Exclusion(NamedTuple):
    """One cause the limited warranty does not cover (section 3 of the terms)."""

    clause: str
    message: Text


# Section 3, in the order of the terms page; "defect" is the only cause the warranty covers (ism-coverage).
CAUSE_EXCLUSIONS: dict[str, Exclusion] = {
    "normal_wear": Exclusion(
        "ism-excl-wear",
        t(
            "Normal wear, for example of the camera lens, battery or display, is not covered.",
            "カメラレンズ、バッテリー、画面などの通常の使用による摩耗は保証の対象外です。",
        ),
    ),
    "rough_handling": Exclusion(
        "ism-excl-handling",
        t(
            "Damage from rough handling (sharp objects, bending, crushing or dropping) is not covered.",
            "鋭利な物、曲げ、圧迫、落下など、乱暴な取り扱いによる損傷は保証の対象外です。",
        ),
    ),
    "misuse": Exclusion(
        "ism-excl-misuse",
        t(
            "Damage from misuse, including use against the maker's instructions in the user guide, is not covered.",
            "取扱説明書に記載されたメーカーの指示に反する使用など、誤った使用による損傷は保証の対象外です。",
        ),
    ),
    "liquid_or_environment": Exclusion(
        "ism-excl-environment",
        t(
            "Damage from humidity, liquid or food spills, extreme or rapidly changing temperatures"
            " or conditions, corrosion, oxidation or chemicals is not covered.",
            "湿気、飲食物や液体のこぼれ、極端な温度・環境や急激な変化、腐食、酸化、化学製品による損傷は保証の対象外です。",
        ),
    ),
    "unauthorized_access": Exclusion(
        "ism-excl-unauthorized-access",
        t(
            "Faults caused by viruses or by unauthorised access (hacking, password theft and the like) are not covered.",
            "ウイルスや不正アクセス（ハッキング、パスワードの不正取得など）による不具合は保証の対象外です。",
        ),
    ),
    "incompatible_product": Exclusion(
        "ism-excl-incompatible",
        t(
            "Faults from use for other purposes, or with products, accessories, software"
            " or services not made, supplied or approved for the item, are not covered.",
            "本来の用途以外での使用や、この商品用として製造・供給・承認されていない製品、アクセサリー、ソフトウェア、サービスとの併用による不具合は保証の対象外です。",
        ),
    ),
    "battery_tampering": Exclusion(
        "ism-excl-battery",
        t(
            "A battery that was short-circuited, whose casing or cell seals show tampering,"
            " or that was used in equipment other than the one specified, is not covered.",
            "短絡したバッテリー、外装やセルの封印に改ざんの跡があるバッテリー、指定外の機器で使用したバッテリーは保証の対象外です。",
        ),
    ),
    "software": Exclusion(
        "ism-excl-software",
        t(
            "The warranty does not promise that software runs without interruption or errors,"
            " or with other hardware or software, so software problems are not covered.",
            "ソフトウェアが中断やエラーなく動作すること、他のハードウェアやソフトウェアと組み合わせて動作することは保証されないため、ソフトウェアの問題は保証の対象外です。",
        ),
    ),
    "outside_control": Exclusion(
        "ism-excl-outside-control",
        t(
            "Damage from events beyond ismartphones.jp's reasonable control is not covered.",
            "ismartphones.jp の合理的な管理を超える事由による損傷は保証の対象外です。",
        ),
    ),
}


def _length(amount: int, unit: str) -> Text:
    """A period length in words, from the data file's number and unit."""
    if unit == "months":
        return t(f"{amount} months", f"{amount}か月")
    return t(f"{amount} days", f"{amount}日")


def _span(amount: int, unit: str) -> Text:
    """A period length before a noun: "a 12-month warranty", "the 30-day return window"."""
    if unit == "months":
        return t(f"{amount}-month", f"{amount}か月間")
    return t(f"{amount}-day", f"{amount}日間")


def _window(claim: Claim, param: str, unit: str, start: date) -> Window:
    """A period of `param` (in the data file) counted from `start` (interpretation GEN-PERIOD)."""
    amount = claim.amount(param, start)
    add: Callable[[date, int], date] = add_months if unit == "months" else add_days
    return Window(start, add(start, amount), _length(amount, unit), claim.clause_of(param, start), span=_span(amount, unit))


def warranty_window(claim: Claim, item: str, received: date) -> Window:
    """The item's own warranty (ism-period-*): months or days by item, as the data file says, from receipt."""
    unit = "months" if f"warranty_months.{item}" in claim.terms.params else "days"
    return _window(claim, f"warranty_{unit}.{item}", unit, received)


def return_window(claim: Claim, received: date) -> Window:
    """The 30-day return window, counted from receipt (ism-return-window; ISM-RETURN-START)."""
    return _window(claim, "return_window_days", "days", received)


def _check_dates(claim: Claim) -> bool:
    """Dates that cannot be true together are answer errors (DESIGN: invalid), not exclusions."""
    received, claimed, repaired = claim.get("received_date"), claim.get("claim_date"), claim.get("last_repair_date")
    ok = True
    if received and claimed and received > claimed:
        claim.error("received_date", "after_claim", "this is after the claim date.", "申請日より後の日付です。")
        ok = False
    if repaired and claimed and repaired > claimed:
        claim.error("last_repair_date", "after_claim", "this is after the claim date.", "申請日より後の日付です。")
        ok = False
    if repaired and received and repaired < received:
        claim.error(
            "last_repair_date",
            "before_received",
            "this is before the item was received.",
            "商品を受け取った日より前の日付です。",
        )
        ok = False
    return ok


def decide(claim: Claim) -> None:
    """Check the dates, then decide the service asked for (an unreadable request is already an answer error)."""
    if not _check_dates(claim):
        return
    if claim.get("request") == WARRANTY:
        decide_warranty(claim)
    elif claim.get("request") == RETURN:
        decide_return(claim)


# -- warranty ----------------------------------------------------------------------------------------------


def decide_warranty(claim: Claim) -> None:
    """Base coverage (the item's period, maybe extended by a repair), then every exclusion that applies."""
    d = claim.decision
    item, received, claimed = claim.get("item"), claim.get("received_date"), claim.get("claim_date")
    window = None
    if item and received:
        window = _with_repair(claim, warranty_window(claim, item, received))
        d.coverage_start, d.coverage_end = window.start, window.end
        d.coverage_label = t("Warranty", "保証期間")
        if claimed:
            _period_reason(claim, window, claimed)
            _mention_return(claim, received, claimed)
    _exclusions(claim)
    if claim.excluded:
        return
    d.remedies = ["repair", "exchange"]
    claim.set_fee(0)
    if window:
        claim.obligation(
            "claim_by",
            window.clause,
            t(f"Submit your warranty claim by {day_t(window.end)['en']}.", f"{day_t(window.end)['ja']}までに保証を申請してください。"),
            due=window.end,
            interpretation="ISM-CLAIM-DATE",
        )
    if not claim.trying:
        _warranty_steps(claim)


def _with_repair(claim: Claim, original: Window) -> Window:
    """After a warranty repair or exchange: the later of the original end and 60 days from it (ISM-REPAIR-60)."""
    repaired = claim.get("last_repair_date")
    if not repaired:
        return original
    extension = _window(claim, "repair_extension_days", "days", repaired)
    if extension.end > original.end:
        claim.note(
            "repair_extension",
            extension.clause,
            t(
                f"Because of the warranty repair or exchange on {day_t(repaired)['en']}, cover runs to {day_t(extension.end)['en']}"
                f" ({extension.length['en']} from it), later than the original end of {day_t(original.end)['en']}.",
                f"{day_t(repaired)['ja']}の保証修理・交換により、保証は元の終了日（{day_t(original.end)['ja']}）より遅い"
                f"{day_t(extension.end)['ja']}（修理・交換から{extension.length['ja']}）まで続きます。",
            ),
            interpretation="ISM-REPAIR-60",
        )
        return Window(original.start, extension.end, original.length, extension.clause, "ISM-REPAIR-60", original.span)
    # ism-period-fixed: a repair or exchange neither extends nor restarts the warranty (ISM-REPLACEMENT-EXPIRY).
    claim.note(
        "original_end_kept",
        "ism-period-fixed",
        t(
            f"The warranty repair or exchange on {day_t(repaired)['en']} does not extend the warranty:"
            f" {extension.length['en']} from it ends on {day_t(extension.end)['en']}, before the original end.",
            f"{day_t(repaired)['ja']}の保証修理・交換で保証期間は延びません。修理・交換から{extension.length['ja']}後の"
            f"{day_t(extension.end)['ja']}は、元の終了日より前だからです。",
        ),
        interpretation="ISM-REPLACEMENT-EXPIRY",
    )
    return original


def _period_reason(claim: Claim, window: Window, claimed: date) -> None:
    """Base coverage: the claim must fall within the window (ISM-CLAIM-DATE; counting per GEN-PERIOD)."""
    start, end = day_t(window.start), day_t(window.end)
    if claimed > window.end:
        claim.exclude(
            "period_ended",
            window.clause,
            t(
                f"The warranty, which started on receipt ({start['en']}), ended on {end['en']}; the claim date is after it.",
                f"保証期間は受け取った日（{start['ja']}）に始まり、{end['ja']}に終了しています。申請日はその後です。",
            ),
            interpretation=window.interpretation,
        )
        return
    claim.reason(
        "in_period",
        window.clause,
        t(
            f"The claim date is within the warranty, which started on receipt ({start['en']}) and runs to {end['en']}.",
            f"申請日は保証期間内です（受け取った日の{start['ja']}から{end['ja']}まで）。",
        ),
        interpretation=window.interpretation,
    )


def _mention_return(claim: Claim, received: date, claimed: date) -> None:
    """Say so when the other service, a return, may still be open (DESIGN: status is about the service asked for)."""
    window = return_window(claim, received)
    if claimed <= window.end:
        claim.note(
            "return_possible",
            window.clause,
            t(
                f"You are still within the {window.span['en']} return window (to {day_t(window.end)['en']}):"
                " if the item is still unopened, you may return it for a refund or exchange instead.",
                f"まだ{window.span['ja']}の返品期間内です（{day_t(window.end)['ja']}まで）。未開封であれば、代わりに返品して返金または交換を受けることもできます。",
            ),
            interpretation="ISM-RETURN-START",
        )


def _exclusions(claim: Claim) -> None:
    """Every exclusion that applies, in the terms' order, each with its clause (section 3, then 4)."""
    cause = claim.get("cause")
    if cause == "defect":
        claim.reason(
            "defect",
            "ism-coverage",
            t("A fault in the item itself is what the limited warranty covers.", "商品自体の不具合は限定保証の対象です。"),
        )
    elif cause in CAUSE_EXCLUSIONS:
        exclusion = CAUSE_EXCLUSIONS[cause]
        claim.exclude(f"excluded_{cause}", exclusion.clause, exclusion.message)
    if claim.get("opened_or_modified") is True:
        claim.exclude(
            "opened_or_modified",
            "ism-excl-opened",
            t(
                "An item opened, modified or repaired by anyone other than an authorised"
                " service centre, or with unauthorised parts, is not covered.",
                "正規サービスセンター以外の者が開封・改造・修理した商品、または非正規の部品で修理した商品は保証の対象外です。",
            ),
        )
    if claim.get("serial_unreadable") is True:
        claim.exclude(
            "serial_unreadable",
            "ism-excl-serial",
            t(
                "An item whose serial number, date code or IMEI has been removed, altered or made unreadable is not covered.",
                "製造番号、日付コード、IMEIが削除・改変されている、または読み取れない商品は保証の対象外です。",
            ),
        )
    # ism-sim-void: the question is only asked for mobile devices, and voids the handset's warranty whatever the cause (ISM-SIM-VOID).
    if claim.get("sim") == "non_standard":
        claim.exclude(
            "non_standard_sim",
            "ism-sim-void",
            t(
                "Using a SIM not officially issued by your network operator (a copied SIM, a dual or multi-SIM module, an adapter,"
                " or a micro-SIM in a standard slot) voids all warranty on the handset.",
                "契約している通信事業者が正式に発行したもの以外のSIM（複製SIM、デュアル／マルチSIMモジュール、アダプター、"
                "標準サイズのスロットでのmicroSIMなど）を使用すると、本体の保証はすべて無効になります。",
            ),
            interpretation="ISM-SIM-VOID",
        )


def _warranty_steps(claim: Claim) -> None:
    """How a covered warranty claim proceeds (section 5) and what an exchange gives (section 2)."""
    claim.step(
        "claim_online",
        "ism-claim-website",
        t(
            "Submit your warranty claim on the ismartphones.jp website. The warranty team"
            " will send detailed instructions, including the address to send the item to.",
            "ismartphones.jp のウェブサイトから保証を申請してください。保証担当チームから、送付先の住所を含む詳しい手順が案内されます。",
        ),
    )
    claim.step(
        "back_up",
        "ism-excl-content",
        t(
            "Back up your data and content before you send the item: the warranty does not cover them.",
            "商品を送る前にデータやコンテンツをバックアップしてください。これらは保証の対象外です。",
        ),
    )
    claim.obligation(
        "ship_tracked",
        "ism-claim-shipping",
        t(
            "Send the item by a proper shipping method, preferably one with tracking; getting it there safely is your responsibility.",
            "適切な配送方法（できれば追跡可能なもの）で商品を送ってください。確実に届けることはお客様の責任です。",
        ),
    )
    claim.obligation(
        "shipping_not_covered",
        "ism-excl-shipping",
        t("Shipping costs are yours: the warranty does not cover them.", "送料はお客様のご負担です。保証の対象外です。"),
    )
    claim.obligation(
        "customs",
        "ism-claim-customs",
        t(
            "Shipping from outside Japan? Ask your local customs office and courier what paperwork is needed, and follow their advice.",
            "海外から発送する場合は、必要な書類について現地の税関と配送業者に確認し、その指示に従ってください。",
        ),
    )
    claim.step(
        "replacement_model",
        "ism-replacement-model",
        t(
            "If the item is exchanged, you get the same make and model where possible, otherwise a functionally equivalent item.",
            "交換の場合は、可能な限り同じメーカー・同じ機種の商品と交換します。できない場合は機能的に同等の商品と交換します。",
        ),
    )
    claim.step(
        "no_cash",
        "ism-replacement-no-cash",
        t("An exchange is never paid out in cash.", "交換を現金に換えることはできません。"),
    )
    extension = _length(claim.amount("repair_extension_days", claim.decision.claim_date or claim.today), "days")
    claim.step(
        "replacement_expiry",
        "ism-replacement-expiry",
        t(
            f"A replacement takes over the original item's warranty and its end"
            f" date (or {extension['en']} from the exchange, if that is later);"
            " it does not start a new warranty.",
            f"交換品には元の商品の保証と終了日が引き継がれ（交換日から{extension['ja']}後のほうが遅い場合はその日まで）、新たな保証期間は始まりません。",
        ),
    )


# -- return ------------------------------------------------------------------------------------------------


def decide_return(claim: Claim) -> None:
    """The 30-day return policy: unshipped or unopened items within the window; say what the warranty can still do."""
    d = claim.decision
    state, received, claimed = claim.get("item_state"), claim.get("received_date"), claim.get("claim_date")
    window = None
    if state == "unshipped":
        # ISM-RETURN-UNSHIPPED: nothing has been received, so there is no window to count (the schema does not ask for a date)
        claim.reason(
            "not_shipped",
            "ism-return-unopened",
            t(
                "An order that has not been shipped yet can be refunded or exchanged; the return window has not started.",
                "まだ発送されていない注文は、返金または交換を受けられます。返品期間はまだ始まっていません。",
            ),
            interpretation="ISM-RETURN-UNSHIPPED",
        )
    elif received:
        window = return_window(claim, received)
        d.coverage_start, d.coverage_end = window.start, window.end
        d.coverage_label = t("Return window", "返品期間")
        if claimed:
            _return_window_reason(claim, window, claimed)
    if state == "unopened":
        claim.reason(
            "unopened",
            "ism-return-unopened",
            t("An unopened item can be returned for a full refund or an exchange.", "未開封の商品は、全額返金または交換を受けられます。"),
        )
    elif state == "opened":
        claim.exclude(
            "opened_not_returnable",
            "ism-return-unopened",
            t(
                "The return policy covers only unshipped or unopened items, so an opened item cannot be returned under it.",
                "返品ポリシーの対象は未発送または未開封の商品のみのため、開封済みの商品は返品できません。",
            ),
            interpretation="ISM-RETURN-OPENED",
        )
    if claim.excluded:
        _mention_warranty(claim)
        return
    d.remedies = ["refund", "exchange"]
    claim.set_fee(0)
    if not claim.trying:
        _return_steps(claim, window)


def _return_window_reason(claim: Claim, window: Window, claimed: date) -> None:
    """The request must be made within the window counted from receipt (ISM-RETURN-START)."""
    start, end = day_t(window.start), day_t(window.end)
    if claimed > window.end:
        claim.exclude(
            "return_window_closed",
            window.clause,
            t(
                f"The {window.span['en']} return window, counted from receipt on {start['en']}, closed on {end['en']}.",
                f"{window.span['ja']}の返品期間は、受け取った日（{start['ja']}）から数えて{end['ja']}に終了しています。",
            ),
            interpretation="ISM-RETURN-START",
        )
        return
    claim.reason(
        "in_return_window",
        window.clause,
        t(
            f"You are within the {window.span['en']} return window, counted from receipt on {start['en']}, which closes on {end['en']}.",
            f"受け取った日（{start['ja']}）から数えて{window.span['ja']}の返品期間内です（{end['ja']}まで）。",
        ),
        interpretation="ISM-RETURN-START",
    )


def _mention_warranty(claim: Claim) -> None:
    """A refused return: say whether a warranty claim may still help (ISM-RETURN-OPENED)."""
    item, received, claimed = claim.get("item"), claim.get("received_date"), claim.get("claim_date")
    if not (item and received and claimed):
        return
    window = warranty_window(claim, item, received)
    end = day_t(window.end)
    if claimed <= window.end:
        claim.note(
            "warranty_may_help",
            window.clause,
            t(
                f"If the item is faulty, a warranty claim may still help: its {window.span['en']} warranty runs to {end['en']}"
                " (repair or exchange, free of charge, for faults in the item itself).",
                f"商品に不具合がある場合は、保証を申請できる可能性があります。{window.span['ja']}の保証は{end['ja']}までです"
                "（商品自体の不具合について、無料で修理または交換）。",
            ),
            interpretation="ISM-RETURN-OPENED",
        )
    else:
        claim.note(
            "warranty_ended",
            window.clause,
            t(
                f"The {window.span['en']} warranty ended on {end['en']} as well, unless a warranty repair or exchange extended it.",
                f"{window.span['ja']}の保証も{end['ja']}に終了しています（保証修理・交換で延長された場合を除きます）。",
            ),
            interpretation="GEN-PERIOD",
        )


def _return_steps(claim: Claim, window: Window | None) -> None:
    """What a customer does to return an item (section 6), and the deadline if the window applies."""
    if window:
        claim.obligation(
            "return_by",
            window.clause,
            t(
                f"Ask for the return by {day_t(window.end)['en']}.",
                f"{day_t(window.end)['ja']}までに返品を申し出てください。",
            ),
            due=window.end,
            interpretation="ISM-RETURN-START",
        )
        claim.step(
            "return_address",
            "ism-return-address",
            t(
                "Send the item to the return address ismartphones.jp gives you, by a tracked method if you can.",
                "ismartphones.jp から指定された返品先の住所へ、できれば追跡可能な方法で商品を送ってください。",
            ),
        )
    else:
        claim.step(
            "cancel_before_shipping",
            "ism-return-unopened",
            t(
                "Contact ismartphones.jp through its website before the order ships to ask for the refund or exchange.",
                "発送される前に、ismartphones.jp のウェブサイトから返金または交換を申し出てください。",
            ),
        )
    message = t("The refund does not include shipping charges, where there are any.", "返金には送料（かかった場合）は含まれません。")
    if window:
        message = t(
            message["en"] + " Sending the item back is at your cost.",
            message["ja"] + "返送の費用もお客様のご負担です。",
        )
    claim.obligation("shipping_not_refunded", "ism-return-unopened", message, interpretation="ISM-RETURN-SHIPPING")


def contact(terms: Terms, on: date) -> Step:
    """How to reach the shop, for the schema (the page shows it even when Python cannot start; ism-claim-website)."""
    return Step(
        "claim_online",
        "ism-claim-website",
        t(
            "Submit a warranty claim on the ismartphones.jp website; the warranty team replies with instructions and the return address.",
            "ismartphones.jp のウェブサイトから保証を申請してください。保証担当チームから手順と送付先が案内されます。",
        ),
    )


# The other service, and what to say when it is covered or still needs its own answers (ISM-RETURN-OPENED).
SWITCHES: dict[str, tuple[str, Text, Text]] = {
    RETURN: (
        WARRANTY,
        t(
            "A warranty claim would be covered: repair or exchange, free of charge.",
            "保証による申請であれば対象です（修理または交換、無料）。",
        ),
        t(
            "A warranty claim may still help: answer its questions to see.",
            "保証による申請であれば対象となる可能性があります。質問に答えて確認してください。",
        ),
    ),
    WARRANTY: (
        RETURN,
        t("A return would be accepted: refund or exchange.", "返品であれば受け付けられます（返金または交換）。"),
        t(
            "If the item is still unopened, a return may be possible instead: say what state it is in.",
            "未開封であれば、代わりに返品できる可能性があります。商品の状態を選んでください。",
        ),
    ),
}


def candidates(claim: Claim) -> list[Candidate]:
    """Nearest first: the other service (a warranty claim for a refused return, or the reverse), then an earlier claim date."""
    found: list[Candidate] = []
    switch = SWITCHES.get(claim.get("request"))
    if switch:
        other, covered, still_open = switch
        found.append(Candidate({"request": other}, lambda r: covered if r.status == "covered" else still_open, accept_incomplete=True))
    claimed, last = claim.get("claim_date"), claim.decision.coverage_end
    if claimed and last and claim.today <= last < claimed:
        found.append(
            Candidate(
                {"claim_date": last.isoformat()},
                lambda r: t(
                    f"Claim by {day_t(last)['en']} instead: that is still within the period.",
                    f"{day_t(last)['ja']}までに申請すれば期間内です。",
                ),
            )
        )
    return found


PROGRAM = Program(
    id="ismartphones",
    title=t("ismartphones.jp limited warranty and returns", "ismartphones.jp 限定保証・返品"),
    data="ismartphones",
    fields=FIELDS,
    decide=decide,
    contact=contact,
    candidates=candidates,
)
