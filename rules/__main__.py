"""Command line for support staff: `python -m rules evaluate|questions|explain PROGRAM ...`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import PROGRAMS, UnknownProgram, evaluate, questions


def _answers(text: str) -> dict[str, Any]:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SystemExit(f"--answers is not valid JSON ({exc.msg} at character {exc.pos}); example: --answers '{{\"item\": \"mobile_device\"}}'") from None
    if not isinstance(loaded, dict):
        raise SystemExit("--answers must be a JSON object of field names to answers")
    return loaded


def explain(decision: dict[str, Any], lang: str) -> str:
    """The decision as plain text for reading aloud on a support call."""
    lines = [f"{decision['program']}: {decision['status']}"]
    if decision["claim_date"]:
        lines.append(f"  claim date: {decision['claim_date']}")
    if decision["coverage_start"] or decision["coverage_end"]:
        lines.append(f"  coverage: {decision['coverage_start'] or '…'} to {decision['coverage_end'] or 'open-ended'}")
    if decision["fee_jpy"] is not None:
        lines.append(f"  fee: ¥{decision['fee_jpy']:,} before tax, ¥{decision['fee_jpy_with_tax']:,} with {decision['tax_percent']}% tax")
        lines.append(f"  customer pays: ¥{decision['customer_pays_jpy']:,} before tax, ¥{decision['customer_pays_jpy_with_tax']:,} with tax")
    if decision["remedies"]:
        lines.append(f"  remedies: {', '.join(decision['remedies'])}")
    for title, key in (("reasons", "reasons"), ("obligations", "obligations"), ("next steps", "next_steps")):
        if decision[key]:
            lines.append(f"  {title}:")
            for item in decision[key]:
                due = f" (due {item['due']})" if item.get("due") else ""
                cite = f" [{item['clause']}" + (f"; {item['interpretation']}]" if item.get("interpretation") else "]")
                lines.append(f"    - {item['message'][lang]}{due}{cite}")
    if decision["missing"]:
        lines.append(f"  still needed: {', '.join(decision['missing'])}")
    for error in decision["errors"]:
        lines.append(f"  error at {error['field']}: {error['message'][lang]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rules", description="Evaluate warranty claims from the terminal.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("evaluate", "print the decision as JSON"), ("explain", "print the decision as readable text")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("program", help=f"one of: {', '.join(PROGRAMS)}")
        cmd.add_argument("--answers", default="{}", help="JSON object of answers, e.g. '{\"item\": \"mobile_device\"}'")
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
        decision = evaluate(args.program, _answers(args.answers), today=args.today).to_dict()
    except UnknownProgram as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    except ValueError:
        print(f"--today must be a date as YYYY-MM-DD, not {args.today!r}", file=sys.stderr)
        return 2
    if args.command == "explain":
        print(explain(decision, args.lang))
    else:
        print(json.dumps(decision, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
