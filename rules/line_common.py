"""What LINE Mobile's 端末保証 and 持込端末保証 share (seed 003): questions, dates, fees, steps and billing."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import NamedTuple

from . import terms as terms_data
from .engine import Candidate, Claim
from .fmt import MONTHS, Text, day_t, price, t, yen
from .model import Billing, Choice, Condition, Decision, Field, Step
from .periods import add_days, month_index, month_of, shift_month

DAMAGES = (
    Choice("malfunction", t("It stopped working by itself (故障)", "故障（自然故障）")),
    Choice("water", t("Water damage (水濡れ)", "水濡れ・水没")),
    Choice("breakage", t("Dropped or broken (破損)", "落下・破損")),
    Choice("loss_theft", t("Lost or stolen", "紛失・盗難")),
)

COVERED_DAMAGES = ("malfunction", "water", "breakage")


def after(condition: Condition, *fields: Field) -> tuple[Field, ...]:
    """Fields asked only once an earlier answer makes them matter (issue: ask only what decides the case)."""
    return tuple(f._replace(show_if=(*f.show_if, condition)) for f in fields)


YES = ("true",)


def contract_field(terms: terms_data.Terms) -> Field:
    """The contract date every window and bill is counted from (clause ids come from the program's data file)."""
    return Field(
        "contract_date",
        "date",
        t("LINE Mobile contract date (契約成立日)", "LINEモバイルの契約成立日"),
        help=t("The day your LINE Mobile contract was concluded.", "LINEモバイルの契約が成立した日です。"),
        clause=terms.clause("period-start"),
    )


def signup_field(terms: terms_data.Terms) -> Field:
    """Both options can only be added to a brand-new contract."""
    return Field(
        "joined_at_signup",
        "bool",
        t("Did you choose the option when you signed up?", "新規申し込みの際にこのオプションを申し込みましたか"),
        help=t("The option can only be added to a new contract.", "このオプションは新規申し込み時にしか申し込めません。"),
        clause=terms.clause("join-at-signup"),
    )


def claim_fields(terms: terms_data.Terms) -> tuple[Field, ...]:
    """What happened and when, and how often the option was used (shared wording and clauses)."""
    return (
        Field("incident_date", "date", t("Date the trouble happened", "トラブルが発生した日"), clause=terms.clause("scope-damage")),
        Field(
            "claim_date",
            "date",
            t("Date you ask for the repair or exchange", "保証を依頼する日"),
            default="today",
            clause=terms.clause("contact"),
        ),
        Field(
            "damage",
            "choice",
            t("What happened to the phone?", "端末に何が起きましたか"),
            choices=DAMAGES,
            clause=terms.clause("scope-damage"),
        ),
        Field(
            "claims_past_year",
            "int",
            t(
                "Claims already made in the {claim_limit.months} months before this one",
                "この依頼より前の{claim_limit.months}か月間に利用した回数",
            ),
            help=t(
                "Count earlier repairs or exchanges under this option; enter 0 if none.",
                "このオプションで受けた修理・交換の回数です。なければ0を入力してください。",
            ),
            minimum=0,
            clause=terms.clause("claim-limit"),
        ),
    )


def tail_fields(terms: terms_data.Terms) -> tuple[Field, ...]:
    """Optional facts that move dates: a cancellation and the time of the call."""
    return (
        Field(
            "cancelled_date",
            "date",
            t("Date you cancelled the option (leave blank if not cancelled)", "オプションを解約した日（解約していなければ空欄）"),
            required=False,
            clause=terms.clause("billing-cancel"),
        ),
        Field(
            "request_time",
            "time",
            t("Time of your call to the centre (HH:MM)", "保証センターに電話する時刻（HH:MM）"),
            help=t(
                "Requests accepted by {dispatch.cutoff} are dispatched the same day; the desk is open {center.opens}–{center.closes}.",
                "{dispatch.cutoff}までに受付が完了すれば当日発送です。受付時間は{center.opens}〜{center.closes}です。",
            ),
            required=False,
            clause=terms.clause("dispatch"),
        ),
    )


def clock(claim: Claim, name: str) -> time:
    """A time of day stored as "HH:MM" in the data file."""
    return time.fromisoformat(str(claim.terms.get(name, claim.on()).value))


def month_text(year: int, month: int) -> Text:
    """A calendar month in both languages."""
    return t(f"{MONTHS[month - 1]} {year}", f"{year}年{month}月")


# -- validation ---------------------------------------------------------------


def check_dates(claim: Claim) -> None:
    """Answers that cannot be true together become field errors (invalid), never exclusions."""
    contract, incident, claimed, cancelled = (claim.get(n) for n in ("contract_date", "incident_date", "claim_date", "cancelled_date"))
    if incident and claimed and incident > claimed:
        claim.error("incident_date", "after_claim", "this is after the date of your request.", "依頼日より後の日付です。")
    if contract and cancelled and cancelled < contract:
        claim.error(
            "cancelled_date",
            "before_contract",
            "an option cannot be cancelled before the contract date.",
            "契約成立日より前に解約することはできません。",
        )


def check_before_cover(claim: Claim, start: date) -> bool:
    """Trouble or a request before the cover began is a true answer outside the cover period: not covered (GEN-BEFORE-COVER)."""
    incident, claimed = claim.get("incident_date"), claim.get("claim_date")
    when = day_t(start)
    if incident and incident < start:
        claim.exclude(
            "before_start",
            claim.clause("period-start"),
            t(
                f"The option's cover starts on {when['en']}; the trouble happened before that, so the option does not cover it."
                " The maker's warranty, or a repair you pay for, may still help.",
                f"本オプションの保証は{when['ja']}に始まります。トラブルはそれより前に発生しているため対象外です。"
                "メーカー保証や有償修理をご検討ください。",
            ),
            claim.reading("WINDOW-DATE"),
        )  # the day of the trouble decides
        return True
    if claimed and claimed < start:
        claim.exclude(
            "claim_before_start",
            claim.clause("period-start"),
            t(
                f"The option's cover starts on {when['en']}; a request made before that is not covered."
                " The maker's warranty, or a repair you pay for, may still help.",
                f"本オプションの保証は{when['ja']}に始まります。それより前の依頼は対象外です。メーカー保証や有償修理をご検討ください。",
            ),
            "GEN-BEFORE-COVER",
        )
        return True
    return False


def request_day(claim: Claim) -> date | None:
    """The day the centre takes the request: a call at or after closing time is taken the next day (HOURS)."""
    claimed: date | None = claim.get("claim_date")
    at: time | None = claim.get("request_time")
    if claimed and at is not None and at >= clock(claim, "center.closes"):
        return claimed + timedelta(days=1)
    return claimed


def check_request_by(claim: Claim, last: date, code: str, clause: str, interpretation: str, message: Text) -> bool:
    """The request must be taken by the option's last day; after closing time on that day it is too late (HOURS)."""
    claimed, taken = claim.get("claim_date"), request_day(claim)
    if not claimed or not taken or taken <= last:
        return False
    if claimed <= last:
        closes = str(claim.terms.get("center.closes", claim.on()).value)
        claim.exclude(
            "desk_closed_last_day",
            claim.clause("contact"),
            t(
                f"The desk closes at {closes}, so a call at that time is taken on {day_t(taken)['en']}, after the option's last day,"
                f" {day_t(last)['en']}. Call before {closes} on {day_t(last)['en']}.",
                f"受付は{closes}までのため、その時刻のお電話は{day_t(taken)['ja']}の受付となり、本オプションの最終日（{day_t(last)['ja']}）を過ぎます。"
                f"{day_t(last)['ja']}の{closes}までにお電話ください。",
            ),
            claim.reading("HOURS"),
        )
    else:
        claim.exclude(code, clause, message, interpretation)
    return True


# -- shared exclusions ----------------------------------------------------------


def check_signup(claim: Claim) -> None:
    """The option can only be chosen with a new contract (join-at-signup)."""
    if claim.get("joined_at_signup") is False:
        claim.exclude(
            "not_joined_at_signup",
            claim.clause("join-at-signup"),
            t(
                "The option can only be added when you sign up for a new LINE Mobile contract, so it does not cover this phone.",
                "このオプションはLINEモバイルの新規申し込み時にしか申し込めないため、この端末は保証の対象になりません。",
            ),
        )
    elif claim.get("joined_at_signup") is True:
        claim.reason(
            "joined_at_signup",
            claim.clause("join-at-signup"),
            t(
                "You chose the option with your new contract, as required.",
                "新規申し込み時にオプションを申し込んでいるため、条件を満たしています。",
            ),
        )


def check_damage(claim: Claim) -> None:
    """Malfunction, water damage and breakage are covered; loss and theft are not (scope-damage)."""
    damage = claim.get("damage")
    if damage == "loss_theft":
        claim.exclude(
            "loss_theft",
            claim.clause("scope-damage"),
            t(
                "Loss and theft are not covered: the option covers malfunction, water damage and breakage only.",
                "紛失・盗難は対象外です。保証範囲は故障・水濡れ・破損のみです。",
            ),
        )
    elif damage in COVERED_DAMAGES:
        claim.reason(
            "damage_covered",
            claim.clause("scope-damage"),
            t("Malfunction, water damage and breakage are within the option's scope.", "故障・水濡れ・破損は保証範囲に含まれます。"),
        )


def check_cancellation(claim: Claim) -> None:
    """Cancellation ends the cover on the cancellation day for incidents and requests alike (CANCEL)."""
    cancelled, incident = claim.get("cancelled_date"), claim.get("incident_date")
    if not cancelled:
        return
    when = day_t(cancelled)
    if incident and incident > cancelled:
        claim.exclude(
            "incident_after_cancel",
            claim.clause("billing-cancel"),
            t(
                f"The trouble happened after you cancelled the option on {when['en']}; cover ends on the cancellation day.",
                f"トラブルは{when['ja']}の解約より後に発生しています。保証は解約日で終了します。",
            ),
            claim.reading("CANCEL"),
        )
        return
    check_request_by(
        claim,
        cancelled,
        "claim_after_cancel",
        claim.clause("billing-cancel"),
        claim.reading("CANCEL"),
        t(
            f"You cancelled the option on {when['en']}; a repair or exchange must be requested while the option is still in force.",
            f"オプションは{when['ja']}に解約されています。修理・交換の依頼はオプションの契約中に行う必要があります。",
        ),
    )


def apply_fee(claim: Claim) -> int | None:
    """年2回まで and the fee tier, both counted over the 12 months before this request (TWICE-A-YEAR, FEE-TIER)."""
    used = claim.get("claims_past_year")
    if used is None:
        return None
    on = claim.on()
    limit, months = claim.amount("claim_limit.count", on), claim.amount("claim_limit.months", on)
    if used >= limit:
        claim.exclude(
            "yearly_limit",
            claim.clause("claim-limit"),
            t(
                f"The option can be used at most {limit} times in any {months} months; you have already used it {used} times in that "
                "period.",
                f"利用は{months}か月間で{limit}回までです。この期間にすでに{used}回利用しています。",
            ),
            claim.reading("TWICE-A-YEAR"),
        )
        return None
    tier = "first" if used == 0 else "second"
    fee = claim.amount(f"claim_fee.{tier}", on)
    with_tax = claim.with_tax(fee)
    ordinal = t("first", "1回目") if tier == "first" else t("second", "2回目")
    claim.note(
        f"fee_{tier}",
        claim.clause("claim-fee"),
        t(
            f"This is your {ordinal['en']} claim in {months} months: the fee is {yen(fee, 'en')} before tax ({yen(with_tax, 'en')} with "
            "tax).",
            f"直近{months}か月で{ordinal['ja']}のご利用のため、端末交換・修理代金は{yen(fee, 'ja')}（税込{yen(with_tax, 'ja')}）です。",
        ),
        claim.reading("FEE-TIER"),
    )
    return fee


# -- the call and the dispatch ---------------------------------------------------


class Dispatch(NamedTuple):
    """When the centre ships, given the time of the call (CUTOFF, HOURS)."""

    day: date
    same_day: bool | None  # None: no request_time given
    desk_open: bool | None


def plan_dispatch(claim: Claim, claimed: date) -> Dispatch:
    """Accepted by the cut-off (inclusive) while the desk is open: same-day dispatch; otherwise the next day."""
    at: time | None = claim.get("request_time")
    if at is None:
        return Dispatch(claimed, None, None)
    opens, closes, cutoff = clock(claim, "center.opens"), clock(claim, "center.closes"), clock(claim, "dispatch.cutoff")
    desk_open = opens <= at < closes
    same_day = at <= cutoff  # before opening you can still call at opening time and be in time
    return Dispatch(claimed if same_day else claimed + timedelta(days=1), same_day, desk_open)


def contact(terms: terms_data.Terms, on: date) -> Step:
    """The 端末保証センター's number and hours as in force on a date (contact): a next step, and the schema's contact."""
    phone = str(terms.get("center.phone", on).value)
    opens, closes = (str(terms.get(n, on).value) for n in ("center.opens", "center.closes"))
    return Step(
        "call_center",
        terms.clause("contact"),
        t(
            f"Call the LINE Mobile 端末保証センター on {phone} (free, also from mobile phones), {opens}–{closes} every day of the year.",
            f"LINEモバイル 端末保証センター（{phone}、携帯電話・スマートフォンからも利用可）へお電話ください。"
            f"受付時間は{opens}〜{closes}（年中無休）です。",
        ),
    )


def call_steps(claim: Claim, shipped: Text) -> Dispatch:
    """Call the 端末保証センター; say whether the desk is open now and whether it ships today (contact, dispatch)."""
    claimed: date = claim.get("claim_date")
    opens, closes, cutoff = (clock(claim, n).strftime("%H:%M") for n in ("center.opens", "center.closes", "dispatch.cutoff"))
    claim.decision.next_steps.append(contact(claim.terms, claim.on()))
    plan = plan_dispatch(claim, claimed)
    if plan.desk_open is True:
        claim.step(
            "desk_open", claim.clause("contact"), t("The desk is open at that time.", "その時刻は受付時間内です。"), claim.reading("HOURS")
        )
    elif plan.desk_open is False:
        claim.step(
            "desk_closed",
            claim.clause("contact"),
            t(
                f"The desk is closed at that time; it is open {opens}–{closes}.",
                f"その時刻は受付時間外です。受付時間は{opens}〜{closes}です。",
            ),
            claim.reading("HOURS"),
        )
    if plan.same_day is None:
        claim.step(
            "dispatch_if_by_cutoff",
            claim.clause("dispatch"),
            t(
                f"If your request is accepted by {cutoff}, {shipped['en']} the same day.",
                f"{cutoff}までに受付が完了すれば、{shipped['ja']}当日発送します。",
            ),
            claim.reading("CUTOFF"),
        )
    elif plan.same_day:
        claim.step(
            "dispatch_today",
            claim.clause("dispatch"),
            t(
                f"Requests accepted by {cutoff} are dispatched the same day: {shipped['en']} on {day_t(plan.day)['en']}.",
                f"{cutoff}までに受付が完了するため、{shipped['ja']}{day_t(plan.day)['ja']}に発送します。",
            ),
            claim.reading("CUTOFF"),
        )
    else:
        claim.step(
            "dispatch_next_day",
            claim.clause("dispatch"),
            t(
                f"That is after the {cutoff} cut-off, so {shipped['en']} on {day_t(plan.day)['en']} at the earliest.",
                f"{cutoff}の締め切りを過ぎているため、{shipped['ja']}最短で{day_t(plan.day)['ja']}に発送します。",
            ),
            claim.reading("CUTOFF"),
        )
    return plan


def common_obligations(claim: Claim) -> None:
    """Back up before sending; asking for the device back after sending costs a fee (data, cancel-fee)."""
    on = claim.on()
    fee = claim.amount("cancel_fee", on)
    claim.obligation(
        "back_up_data",
        claim.clause("data"),
        t(
            "Back up or move your data and erase the phone yourself before you send it: data may be lost in the repair, and LINE Mobile "
            "accepts no liability.",
            "送付前に必ずご自身でデータの保存・移行と消去を行ってください。修理などでデータが消える可能性があり、LINEモバイルは一切責任を負いません。",
        ),
    )
    claim.obligation(
        "cancel_fee",
        claim.clause("cancel-fee"),
        t(
            "Once you have sent the broken phone, asking for it back counts as a cancellation and costs a cancellation fee of "
            f"{price(fee, claim.with_tax(fee), 'en')}.",
            "故障端末の送付後に返送を希望するとキャンセル扱いとなり、"
            f"キャンセル手数料{price(fee, claim.with_tax(fee), 'ja')}がかかります。",
        ),
        penalty_jpy=fee,
    )


# -- billing -----------------------------------------------------------------------


def billing(claim: Claim, term_months: int | None) -> Billing | None:
    """Monthly fees: first month free, billed on the 5th for the month before, due to the end of the cancellation month (BILLING)."""
    contract, claimed, cancelled = claim.get("contract_date"), claim.get("claim_date"), claim.get("cancelled_date")
    if not contract or not claimed or claim.decision.errors:
        return None
    on = claimed
    monthly, free = claim.amount("monthly_fee", on), claim.amount("free_months", on)
    bill_day = claim.amount("billing_day", on)
    start = month_index(contract.year, contract.month)
    first = start + free  # the contract month is free (monthly-fee)
    last: int | None = start + term_months if term_months is not None else None  # the 端末保証 term ends in that month (lnd-period-end)
    if cancelled:
        cut = month_index(cancelled.year, cancelled.month)  # billed to the end of the cancellation month (billing-cancel)
        last = cut if last is None else min(last, cut)
    to_claim_end = month_index(claimed.year, claimed.month)
    if last is not None:
        to_claim_end = min(to_claim_end, last)
    charged = sum(1 for index in range(first, to_claim_end + 1) if date(*month_of(index + 1), bill_day) <= claimed)
    bill = Billing(
        clause=claim.clause("monthly-fee"),
        interpretation=claim.reading("BILLING"),
        tax_clause=claim.clause("tax"),  # prices exclude tax; shown with it (GEN-TAX)
        monthly_fee_jpy=monthly,
        monthly_fee_jpy_with_tax=claim.with_tax(monthly),
        tax_percent=terms_data.general().amount("consumption_tax_percent", on),
        first_month_free=free > 0,
        billing_day=bill_day,
        first_fee_month="{:04d}-{:02d}".format(*month_of(first)),
        first_charge_date=date(*month_of(first + 1), bill_day),
        months_to_claim=max(0, to_claim_end - first + 1),
        charged_months=charged,
        last_fee_month=None if last is None else "{:04d}-{:02d}".format(*month_of(last)),
        months_total=None if last is None else max(0, last - first + 1),
    )
    return bill._replace(summary=billing_summary(bill, claimed))


def billing_summary(bill: Billing, claimed: date) -> Text:
    """The monthly fees in words: the rate, what they came to by the claim date, and where they end."""
    monthly, monthly_tax, months, day = bill.monthly_fee_jpy, bill.monthly_fee_jpy_with_tax, bill.months_to_claim, bill.billing_day
    rate_en = (
        f"{yen(monthly, 'en')} a month ({yen(monthly_tax, 'en')} with tax), first month free, charged on day {day} of each month "
        "for the month before."
    )
    rate_ja = f"月額{yen(monthly, 'ja')}（税込{yen(monthly_tax, 'ja')}）、初月無料で、毎月{day}日に前月分を決済します。"
    so_far_en = (
        f" By {day_t(claimed)['en']} the option has cost {yen(months * monthly, 'en')} "
        f"({yen(months * monthly_tax, 'en')} with tax) for {months} month(s)."
    )
    so_far_ja = (
        f"{day_t(claimed)['ja']}までの利用料は{months}か月分で{yen(months * monthly, 'ja')}（税込{yen(months * monthly_tax, 'ja')}）です。"
    )
    if bill.last_fee_month is not None and bill.months_total is not None:
        total = bill.months_total
        until = month_text(*(int(part) for part in bill.last_fee_month.split("-")))
        end_en = (
            f" Fees run to the end of {until['en']}: {total} month(s), {yen(total * monthly, 'en')} "
            f"({yen(total * monthly_tax, 'en')} with tax) in all."
        )
        end_ja = (
            f"利用料は{until['ja']}末まで、合計{total}か月分で{yen(total * monthly, 'ja')}（税込{yen(total * monthly_tax, 'ja')}）です。"
        )
    else:
        end_en = " Fees run until you cancel, to the end of the month you cancel in."
        end_ja = "利用料は解約するまで（解約月の末日まで）かかります。"
    return t(rate_en + so_far_en + end_en, rate_ja + so_far_ja + end_ja)


def send_back_due(arrival: date, claim: Claim) -> date:
    """N days from receiving the replacement, first day not counted (GEN-PERIOD)."""
    return add_days(arrival, claim.amount("send_back.days", claim.on()))


def month_shift(day: date, months: int) -> tuple[int, int]:
    """(year, month) of the month `months` after the one holding `day`."""
    return shift_month(day.year, day.month, months)


# -- alternatives ------------------------------------------------------------------


def pays(result: Decision) -> Text:
    """What a covered alternative costs, with tax, in a few words."""
    amount = result.customer_pays_jpy_with_tax or 0
    return t(f"{yen(amount, 'en')} to pay, with tax", f"お支払いは税込{yen(amount, 'ja')}")


def timing_candidates(claim: Claim) -> list[Candidate]:
    """Call before closing time, or ask on an earlier day that is not yet past, when that is what refuses the claim."""
    found: list[Candidate] = []
    at: time | None = claim.get("request_time")
    cutoff = str(claim.terms.get("dispatch.cutoff", claim.on()).value)
    if at is not None and at >= clock(claim, "center.closes"):
        found.append(
            Candidate(
                {"request_time": cutoff},
                lambda r: t(
                    f"Call by {cutoff} instead, while the desk is open: covered, {pays(r)['en']}.",
                    f"受付時間内の{cutoff}までにお電話いただければ対象です（{pays(r)['ja']}）。",
                ),
            )
        )
    claimed: date | None = claim.get("claim_date")
    last = claim.decision.coverage_end
    if claimed and last and claim.today <= last < claimed:
        found.append(
            Candidate(
                {"claim_date": last.isoformat()},
                lambda r: t(
                    f"Ask by {day_t(last)['en']} instead: covered, {pays(r)['en']}.",
                    f"{day_t(last)['ja']}までにご依頼いただければ対象です（{pays(r)['ja']}）。",
                ),
            )
        )
    return found


def count_candidates(claim: Claim) -> list[Candidate]:
    """Fewer claims in the 12 months before the request: once an earlier claim is older, the limit or the fee tier changes."""
    used: int | None = claim.get("claims_past_year")
    if not used:
        return []
    on = claim.on()
    limit, months = claim.amount("claim_limit.count", on), claim.amount("claim_limit.months", on)
    fewer = min(used, limit) - 1
    if fewer == 0:
        return [
            Candidate(
                {"claims_past_year": "0"},
                lambda r: t(
                    f"If your earlier claim is more than {months} months old on the day you ask, this counts as a first claim: "
                    f"{pays(r)['en']}.",
                    f"以前の利用が依頼日の{months}か月より前であれば、今回は1回目の扱いになります（{pays(r)['ja']}）。",
                ),
            )
        ]
    return [
        Candidate(
            {"claims_past_year": str(fewer)},
            lambda r: t(
                f"Once your earliest claim is more than {months} months old on the day you ask, this claim would be covered: "
                f"{pays(r)['en']}.",
                f"最も古い利用が依頼日の{months}か月より前になれば、今回の依頼は対象になります（{pays(r)['ja']}）。",
            ),
        )
    ]
