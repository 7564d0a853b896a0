"""LINE Mobile 端末保証 (seed 003, first half): a phone bought from LINE Mobile, exchanged for a fee."""

from __future__ import annotations

from datetime import timedelta

from . import line_common as common
from . import terms as terms_data
from .engine import Candidate, Claim, Program
from .fmt import day_t, price, t
from .model import Condition, Field
from .periods import month_end

DATA = "line_device"
TERMS = terms_data.load(DATA)  # the shared LINE code reads this program's clause ids and wording from it

FIELDS: tuple[Field, ...] = (
    common.contract_field(TERMS),
    Field(
        "bought_from_line",
        "bool",
        t(
            "Did you buy the phone from LINE Mobile (signed up for “device + SIM”)?",
            "端末をLINEモバイルで購入しましたか（「端末+SIMカード」で申し込み）",
        ),
        clause="lnd-bought-from-line",
    ),
    # each question is asked once the answers before it leave the claim open: a "no" already decides it
    *common.after(Condition("bought_from_line", common.YES), common.signup_field(TERMS)),
    *common.after(Condition("joined_at_signup", common.YES), *common.claim_fields(TERMS), *common.tail_fields(TERMS)),
)


def check_window(claim: Claim) -> None:
    """From the contract date to the end of the same month 3 years later; claims after that find no option (LND-WINDOW-DATE)."""
    contract, incident, cancelled = (claim.get(n) for n in ("contract_date", "incident_date", "cancelled_date"))
    if not contract:
        return
    d = claim.decision
    months = claim.amount("term.months", claim.on())
    end = month_end(*common.month_shift(contract, months))
    d.coverage_start = contract  # lnd-period-start: cover starts on the contract date itself
    d.coverage_end = min(end, cancelled) if cancelled else end  # LND-CANCEL
    d.coverage_label = t("Cover period", "保証期間")
    if common.check_before_cover(claim, contract):
        return
    last, years = day_t(end), t(f"{months // 12}-year", f"{months // 12}年間")
    if incident and incident > end:
        claim.exclude(
            "period_ended",
            "lnd-period-end",
            t(
                f"The {years['en']} cover ended on {last['en']}, before the trouble happened.",
                f"保証期間（{years['ja']}）は{last['ja']}に終了しており、トラブルはその後に発生しています。",
            ),
            "LND-WINDOW-DATE",
        )
        return
    late = common.check_request_by(
        claim,
        end,
        "claim_after_term",
        "lnd-period-end",
        "LND-WINDOW-DATE",
        t(
            f"The option ended automatically on {last['en']}; a request must be made by then.",
            f"オプションは{last['ja']}に自動的に終了しています。依頼はその日までに行う必要があります。",
        ),
    )
    if incident and incident <= d.coverage_end and not late:
        claim.reason(
            "in_period",
            "lnd-period-start",
            t(
                f"The trouble happened within the cover period, which runs from the contract date, {day_t(contract)['en']}, to "
                f"{last['en']}.",
                f"トラブルは保証期間内（契約成立日の{day_t(contract)['ja']}から{last['ja']}まで）に発生しています。",
            ),
            "LND-WINDOW-DATE",
        )


def candidates(claim: Claim) -> list[Candidate]:
    """Nearest first: the time or day of the call, then the count of earlier claims."""
    return common.timing_candidates(claim) + common.count_candidates(claim)


def decide(claim: Claim) -> None:
    """Eligibility, scope, window, cancellation and 年2回まで in that order; each failing clause is recorded."""
    common.check_dates(claim)
    if claim.decision.errors:
        return
    if claim.get("bought_from_line") is False:
        claim.exclude(
            "not_bought_from_line",
            "lnd-bought-from-line",
            t(
                "端末保証 is only for phones bought from LINE Mobile with a “device + SIM” signup. For your own phone, LINE Mobile offers "
                "持込端末保証 instead.",
                "端末保証はLINEモバイルで「端末+SIMカード」として購入した端末のみが対象です。ご自身で用意した端末には持込端末保証があります。",
            ),
        )
    elif claim.get("bought_from_line") is True:
        claim.reason(
            "bought_from_line",
            "lnd-bought-from-line",
            t(
                "The phone was bought from LINE Mobile with a “device + SIM” signup.",
                "端末はLINEモバイルで「端末+SIMカード」として購入されています。",
            ),
        )
    common.check_signup(claim)
    common.check_damage(claim)
    check_window(claim)
    common.check_cancellation(claim)
    fee = common.apply_fee(claim)
    if not claim.trying:
        claim.decision.billing = common.billing(claim, claim.amount("term.months", claim.on()))
    if claim.excluded or claim.decision.missing or fee is None:
        return
    settle(claim, fee)


def settle(claim: Claim, fee: int) -> None:
    """A covered exchange: the fee, the steps of the call, and the send-back deadline (lnd-send-back, LND-RETURN-COUNT)."""
    on = claim.on()
    claim.set_fee(fee)
    claim.decision.remedies = ["exchange"]
    if claim.trying:
        return  # the rest only advises
    claim.step(
        "maker_warranty",
        "lnd-maker-warranty",
        t(
            "If the phone is still under its maker's warranty, the maker's warranty may apply instead; ask the maker first.",
            "端末がメーカー保証期間中の場合は、メーカー保証の対象となる可能性があります。各メーカーへお問い合わせください。",
        ),
    )
    plan = common.call_steps(claim, t("the replacement phone and a return kit are sent", "交換端末と返送キットを"))
    earliest = plan.day + timedelta(days=claim.amount("delivery.earliest_days", on))
    typical = claim.amount("delivery.typical_days", on)
    claim.step(
        "replacement_arrives",
        "lnd-dispatch",
        t(
            f"The replacement arrives in about {typical} days, on {day_t(earliest)['en']} at the earliest. It comes set up: move your "
            "SIM card across and it is ready.",
            f"交換端末は約{typical}日、最短で{day_t(earliest)['ja']}に届きます。設定済みのため、SIMカードを差し替えればすぐに使えます。",
        ),
    )
    days, penalty = claim.amount("send_back.days", on), claim.amount("send_back.penalty", on)
    due = common.send_back_due(earliest, claim)
    claim.obligation(
        "send_back",
        "lnd-send-back",
        t(
            f"Send the broken phone back in the return kit within {days} days of receiving the replacement, or LINE Mobile charges a "
            f"penalty of {price(penalty, claim.with_tax(penalty), 'en')}. If it arrives on {day_t(earliest)['en']}, the deadline is "
            f"{day_t(due)['en']}; if it arrives later, count from that day.",
            f"交換端末の受取日から{days}日以内に、返送キットで故障端末を送付してください。"
            f"送付がない場合は違約金{price(penalty, claim.with_tax(penalty), 'ja')}が請求されます。"
            f"{day_t(earliest)['ja']}に届いた場合の期限は{day_t(due)['ja']}です。到着が遅れた場合はその日から数えてください。",
        ),
        due=due,
        penalty_jpy=penalty,
        interpretation="LND-RETURN-COUNT",
    )
    common.common_obligations(claim)


PROGRAM = Program(
    id="line-device",
    title=t("LINE Mobile device warranty (端末保証)", "LINEモバイル 端末保証"),
    data=DATA,
    fields=FIELDS,
    decide=decide,
    contact=common.contact,
    candidates=candidates,
)
