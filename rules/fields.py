"""Reading answers: strings from a URL or form, or native values, into typed values or field errors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, time
from typing import Any, NamedTuple

from .fmt import t
from .model import KINDS, Condition, Field, FieldError

FIRST_YEAR, LAST_YEAR = 2000, 2099  # readable range for every date and month answer
TRUE_WORDS, FALSE_WORDS = ["true", "yes", "1", "on"], ["false", "no", "0", "off"]  # as checker.js reads them too


class Month(NamedTuple):
    """A calendar month (`YYYY-MM`), as the maker's release month is given."""

    year: int
    month: int

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class Walked(NamedTuple):
    """What `read` worked out on its way, kept so that the same answers with a few changed are read from it (`like`)."""

    plan: Plan
    today: date
    given: dict[str, Any]  # each answer, or its default when blank
    texts: dict[str, str]  # its string form
    compared: dict[str, str]  # as conditions compare it
    shown: dict[str, bool]


class Answers:
    """Typed answers to the relevant questions, plus what was missing or unreadable."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.asked: set[str] = set()  # the questions that are relevant to these answers (shown on the page)
        self.missing: list[str] = []
        self.errors: list[FieldError] = []
        self.walked: Walked | None = None

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


def _bad(spec: Field, code: str, en: str, ja: str) -> FieldError:
    return FieldError(field=spec.name, code=code, message=t(f"{spec.label['en']}: {en}", f"{spec.label['ja']}：{ja}"))


def as_text(value: Any) -> str:
    """The string form of an answer, as conditions and URLs compare it."""
    if type(value) is str:  # most answers: checked first
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


# What a Japanese keyboard types for these answers: full-width digits and punctuation read as their ASCII forms.
NARROW = str.maketrans(
    {
        **{chr(0xFF10 + n): str(n) for n in range(10)},
        "－": "-",
        "‐": "-",
        "−": "-",
        "：": ":",
        "，": ",",
        "／": "/",
        "￥": "¥",
        "\u3000": " ",
    }
)
JA_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
JA_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
YEN = re.compile(r"¥?\s*(\d{1,3}(?:,\d{3})+|\d+)\s*(?:円)?")  # 70000, 70,000, ¥70,000, 70,000円


def narrow(text: str) -> str:
    """An answer with full-width digits and punctuation made ASCII (２０２６－０１－３１ is 2026-01-31)."""
    return text.translate(NARROW).strip()


def _in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def parse_one(spec: Field, raw: Any) -> Any | FieldError:
    """One answer as its typed value, or the error to show at its field."""
    text = narrow(as_text(raw))
    if spec.kind == "date":
        if isinstance(raw, date):
            value = raw
        else:
            ja = JA_DATE.fullmatch(text)
            if ja:
                text = f"{ja.group(1)}-{int(ja.group(2)):02d}-{int(ja.group(3)):02d}"
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                return _bad(
                    spec,
                    "bad_date",
                    "enter a complete date (year, month and day), such as 2026-03-10.",
                    "年・月・日のそろった日付を入力してください（例：2026-03-10）。",
                )
            try:
                value = date.fromisoformat(text)
            except ValueError:
                return _bad(spec, "bad_date", "this date does not exist.", "存在しない日付です。")
        if not _in_range(value.year):
            return _bad(
                spec,
                "date_out_of_range",
                f"enter a date between {FIRST_YEAR} and {LAST_YEAR}.",
                f"{FIRST_YEAR}年から{LAST_YEAR}年までの日付を入力してください。",
            )
        return value
    if spec.kind == "month":
        ja = JA_MONTH.fullmatch(text)
        if ja:
            text = f"{ja.group(1)}-{int(ja.group(2)):02d}"
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            return _bad(spec, "bad_month", "enter a month as YYYY-MM.", "年月を YYYY-MM の形で入力してください。")
        if not _in_range(int(match.group(1))):
            return _bad(
                spec,
                "date_out_of_range",
                f"enter a month between {FIRST_YEAR} and {LAST_YEAR}.",
                f"{FIRST_YEAR}年から{LAST_YEAR}年までの年月を入力してください。",
            )
        return Month(int(match.group(1)), int(match.group(2)))
    if spec.kind == "time":
        match = re.fullmatch(r"(\d{2}):(\d{2})(?::\d{2})?", text)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            return _bad(spec, "bad_time", "enter a time as HH:MM (24-hour).", "時刻を HH:MM（24時間制）で入力してください。")
        return time(int(match.group(1)), int(match.group(2)))
    if spec.kind == "bool":
        lowered = text.lower()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        return _bad(spec, "bad_choice", "answer yes or no.", "「はい」か「いいえ」で答えてください。")
    if spec.kind == "choice":
        allowed = [c.value for c in spec.choices]
        if text not in allowed:
            return _bad(spec, "bad_choice", "choose one of the listed options.", "一覧の中から選んでください。")
        return text
    if spec.kind == "int":
        amount = YEN.fullmatch(text) if spec.unit == "jpy" else None
        if amount:
            text = amount.group(1).replace(",", "")  # commas only as thousands separators, in yen amounts
        if isinstance(raw, bool) or not re.fullmatch(r"-?[0-9]{1,12}", text):
            if spec.unit == "jpy":
                return _bad(
                    spec,
                    "bad_number",
                    "enter an amount in yen, such as 70000 or 70,000.",
                    "金額を 70000 や 70,000 のように入力してください。",
                )
            return _bad(spec, "bad_number", "enter a whole number.", "整数を入力してください。")
        number = int(text)
        if spec.minimum is not None and number < spec.minimum:
            code = "negative" if number < 0 else "too_small"
            return _bad(spec, code, f"enter {spec.minimum} or more.", f"{spec.minimum}以上の数を入力してください。")
        if spec.maximum is not None and number > spec.maximum:
            return _bad(spec, "too_large", f"enter {spec.maximum:,} or less.", f"{spec.maximum:,}以下の数を入力してください。")
        return number
    if spec.kind != "imei":
        raise ValueError(f"{spec.name}: unknown kind {spec.kind!r}; one of {', '.join(KINDS)}")  # a program's bug, not an answer
    # imei: 15 digits whose last is the Luhn check digit (GSMA TS.06)
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"\d{15}", digits):
        return _bad(spec, "bad_imei", "an IMEI has 15 digits (dial *#06# to see it).", "IMEIは15桁の数字です（*#06# で表示できます）。")
    if not luhn_ok(digits):
        return _bad(
            spec,
            "bad_imei_checksum",
            "this IMEI's check digit is wrong; please check for a typing error.",
            "IMEIのチェックディジットが一致しません。入力を確認してください。",
        )
    return digits


def luhn_ok(digits: str) -> bool:
    """Luhn check over a string of digits."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


class Question(NamedTuple):
    """A field as `read` walks it: its conditions with the fields they look at, and its answers read so far."""

    spec: Field
    conditions: tuple[tuple[Condition, Field | None], ...]  # None: a field of no question here (always shown)
    watched: bool  # a condition of another question looks at this one
    parsed: dict[str, Any]  # text → parse_one's result: a visitor changes one answer at a time, the others read as before


MAX_PARSED = 64  # texts remembered per question; a new text beyond that starts the memory afresh


class Plan(NamedTuple):
    """A program's questions in their order, and in an order where every question comes after those it depends on."""

    fields: tuple[Field, ...]
    questions: tuple[Question, ...]
    by_dependency: tuple[Question, ...]
    place: dict[str, int]  # a question's place in the form
    affects: dict[str, frozenset[str]]  # an answer → the questions read again when it changes: its own, and those shown by it


_plans: dict[int, Plan] = {}


def plan(fields: tuple[Field, ...]) -> Plan:
    """The fields' plan, made once per tuple of fields (a program's are a module constant)."""
    found = _plans.get(id(fields))
    if found is not None and found.fields is fields:
        return found
    by_name = {spec.name: spec for spec in fields}
    watched = {c.field for spec in fields for c in spec.show_if}
    questions = {
        spec.name: Question(spec, tuple((c, by_name.get(c.field)) for c in spec.show_if), spec.name in watched, {}) for spec in fields
    }
    ordered: dict[str, Question] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in path:
            raise ValueError(f"the conditions of {' → '.join((*path, name))} go round in a circle")  # a program's bug
        for _condition, other in questions[name].conditions:
            if other is not None:
                visit(other.name, (*path, name))
        ordered[name] = questions[name]

    for spec in fields:
        visit(spec.name, ())
    affects: dict[str, set[str]] = {name: {name} for name in questions}
    for question in ordered.values():  # those it depends on come first: their sets are complete when it is added to them
        looks_at = {condition.field for condition, _other in question.conditions}
        for name in looks_at:
            affects.setdefault(name, {name})  # an answer no question asks for (conditions may look at one)
        for names in affects.values():
            if names & looks_at:
                names.add(question.spec.name)
    place = {spec.name: index for index, spec in enumerate(fields)}
    found = _plans[id(fields)] = Plan(
        fields,
        tuple(questions.values()),
        tuple(ordered.values()),
        place,
        {name: frozenset(names) for name, names in affects.items()},
    )
    return found


def condition_text(spec: Field, text: str) -> str:
    """An answer as conditions compare it: a yes/no answer as "true"/"false" however it was written (as the page sends it)."""
    if spec.kind == "bool":
        lowered = text.lower()
        if lowered in TRUE_WORDS:
            return "true"
        if lowered in FALSE_WORDS:
            return "false"
    return text


def read(
    fields: tuple[Field, ...], raw: Mapping[str, Any], today: date, like: Answers | None = None, changed: tuple[str, ...] = ()
) -> Answers:
    """Typed values for the relevant questions; blanks are missing (if required) or absent. A question counts only
    when every condition on it holds and, as the page hides it too, every question a condition looks at is shown.
    `like`: these answers read before, of which only `changed` differ in `raw` (an alternative being tried)."""
    steps = plan(fields)
    walked = like.walked if like is not None else None
    if walked is None or walked.plan is not steps or walked.today != today:
        walk = Walked(steps, today, {}, {}, {}, {})
        return _read(walk, raw, Answers(), steps.by_dependency, steps.questions)
    again: set[str] = set()
    for name in changed:
        again |= steps.affects.get(name, frozenset())
    answers = Answers()
    answers.values = {name: value for name, value in like.values.items() if name not in again}
    answers.asked = like.asked - again
    answers.missing = [name for name in like.missing if name not in again]
    answers.errors = [error for error in like.errors if error.field not in again]
    walk = Walked(steps, today, dict(walked.given), dict(walked.texts), dict(walked.compared), dict(walked.shown))
    read_again = _read(
        walk,
        raw,
        answers,
        [q for q in steps.by_dependency if q.spec.name in again],
        [q for q in steps.questions if q.spec.name in again],
    )
    read_again.missing.sort(key=steps.place.__getitem__)  # in the form's order, as a first reading lists them
    read_again.errors.sort(key=lambda error: steps.place[error.field])
    return read_again


def _read(
    walk: Walked, raw: Mapping[str, Any], answers: Answers, by_dependency: Iterable[Question], in_order: Iterable[Question]
) -> Answers:
    """`read`'s two walks, over all questions or over those to read again."""
    today, given, texts, compared, shown = walk.today, walk.given, walk.texts, walk.compared, walk.shown
    for question in by_dependency:  # each question after those its conditions look at
        spec = question.spec
        value = raw.get(spec.name)
        text = as_text(value)
        if text == "" and spec.default is not None:
            value = text = today.isoformat() if spec.default == "today" else spec.default
        given[spec.name], texts[spec.name] = value, text
        if question.watched:
            compared[spec.name] = condition_text(spec, text)
        visible = True
        for condition, other in question.conditions:
            if other is None:
                visible = condition.holds(as_text(raw.get(condition.field)), True)
            else:
                visible = condition.holds(compared[other.name], shown[other.name])
            if not visible:
                break
        shown[spec.name] = visible
    for question in in_order:  # in the form's order: what is missing is listed as the form asks it
        spec = question.spec
        if not shown[spec.name]:
            continue
        answers.asked.add(spec.name)
        text = texts[spec.name]
        if text == "":
            if spec.required:
                answers.missing.append(spec.name)
            continue
        value = given[spec.name]
        if type(value) is str:
            value = question.parsed.get(text)
            if value is None:
                if len(question.parsed) >= MAX_PARSED:
                    question.parsed.clear()
                value = question.parsed[text] = parse_one(spec, text)
        else:
            value = parse_one(spec, value)  # a native value (a date, a number) is read as itself, not as its text
        if isinstance(value, FieldError):
            answers.errors.append(value)
        else:
            answers.values[spec.name] = value
    answers.walked = walk
    return answers
