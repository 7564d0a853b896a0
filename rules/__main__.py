"""Command line for support staff: `python -m rules evaluate|questions|explain PROGRAM ...`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from . import PROGRAMS, UnknownProgram, evaluate, questions, read_answers, words
from .fmt import yen


def _answers(text: str) -> dict[str, Any]:
    loaded, code, problem = read_answers(text)
    if problem:
        hint = "" if code == "not_object" else ' example: --answers \'{"item": "mobile_device"}\''
        raise SystemExit(f"--answers: {problem['en']}{hint}")
    assert loaded is not None
    return loaded


def _today(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"--today must be a date as YYYY-MM-DD, not {text!r}") from None


EFFECT_ORDER = ("excludes", "meets", "note")
EFFECT_MARKS = {"excludes": "✗", "meets": "✓", "note": "•"}


def explain(decision: dict[str, Any], lang: str) -> str:
    """The decision as plain text for reading aloud on a support call, in English or Japanese."""
    w = words.words(lang)
    lines = [f"{decision['program']}: {w['status'][decision['status']]} ({decision['status']})"]
    if decision["claim_date"]:
        lines.append(f"  {w['claim_date']}: {decision['claim_date']}")
    if decision["coverage_start"] or decision["coverage_end"]:
        label = (decision.get("coverage_label") or {}).get(lang, w["coverage"])  # a return window is not a warranty
        lines.append(f"  {label}: {decision['coverage_start'] or '…'} {w['to']} {decision['coverage_end'] or w['open']}")
    if decision["customer_pays_jpy"] == 0:
        lines.append(f"  {w['free']}")
    elif decision["fee_jpy"] is not None:
        fee, fee_tax, pays, pays_tax = (
            yen(decision[k], lang) for k in ("fee_jpy", "fee_jpy_with_tax", "customer_pays_jpy", "customer_pays_jpy_with_tax")
        )
        lines.append("  " + words.say("cli_fee", lang, fee=fee, with_tax=fee_tax, rate=decision["tax_percent"]))
        lines.append("  " + words.say("cli_pays", lang, pays=pays, with_tax=pays_tax))
    if decision.get("excess_jpy"):
        lines.append("    " + words.say("cli_excess", lang, amount=yen(decision["excess_jpy"], lang)))
    if decision["remedies"]:
        lines.append(f"  {w['remedies']}: {', '.join(w['remedy'].get(r, r) for r in decision['remedies'])}")
    for key in ("reasons", "obligations", "next_steps"):
        items = decision[key]
        if key == "reasons":  # what refuses cover first, then what is met, then notes (DESIGN)
            items = sorted(items, key=lambda r: EFFECT_ORDER.index(r["effect"]))
        if items:
            lines.append(f"  {w[key]}:")
            for item in items:
                mark = EFFECT_MARKS[item["effect"]] if key == "reasons" else "-"
                due = f" ({w['due_label']} {item['due']})" if item.get("due") else ""
                money = ""
                if item.get("penalty_jpy"):
                    amounts = {"penalty": yen(item["penalty_jpy"], lang), "with_tax": yen(item["penalty_jpy_with_tax"], lang)}
                    money = f" ({words.say('penalty', lang, **amounts)})"
                cite = f" [{item['clause']}" + (f"; {item['interpretation']}]" if item["interpretation"] else "]")
                lines.append(f"    {mark} {item['message'][lang]}{due}{money}{cite}")
    if decision.get("alternatives"):
        lines.append(f"  {w['alternatives']}:")
        for alternative in decision["alternatives"]:
            changes = ", ".join(f"{k}={v}" for k, v in alternative["changes"].items())
            lines.append(f"    → {alternative['message'][lang]} ({changes})")
    if decision["billing"]:
        lines.append(f"  {w['billing']}: {decision['billing']['summary'][lang]} [{decision['billing']['clause']}]")
    if decision["missing"]:
        lines.append(f"  {w['missing']}: {', '.join(decision['missing'])}")
    for error in decision["errors"]:
        lines.append(f"  {w['error_at']} {error['field']}: {error['message'][lang]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rules", description="Evaluate warranty claims from the terminal.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("evaluate", "print the decision as JSON"), ("explain", "print the decision as readable text")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("program", help=f"one of: {', '.join(PROGRAMS)}")
        cmd.add_argument("--answers", default="{}", help='JSON object of answers, e.g. \'{"item": "mobile_device"}\'')
        cmd.add_argument("--today", default=None, help="YYYY-MM-DD; the default claim date")
        if name == "explain":
            cmd.add_argument("--lang", choices=("en", "ja"), default="en")
    q = sub.add_parser("questions", help="print the question schema as JSON")
    q.add_argument("program")
    args = parser.parse_args(argv)
    try:
        if args.command == "questions":
            print(json.dumps(questions(args.program), ensure_ascii=False, indent=2))
            return 0
        today = _today(args.today)
        decision = evaluate(args.program, _answers(args.answers), today=today).to_dict()
    except UnknownProgram as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    if args.command == "explain":
        print(explain(decision, args.lang))
    else:
        print(json.dumps(decision, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
