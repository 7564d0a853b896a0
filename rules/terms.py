"""Amounts, periods and deadlines from rules/data/*.toml, each keyed by the date it took effect."""

from __future__ import annotations

import json
import os.path
from datetime import date
from functools import cache
from typing import NamedTuple

# A plain name, not a pathlib.Path: in the browser nothing else imports pathlib (and glob, fnmatch: ~100 KB).
DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


class Value(NamedTuple):
    """One parameter as in force on a date, with the clause it comes from."""

    name: str
    value: int | str | bool
    clause: str
    since: date


class TermsError(LookupError):
    """A parameter that the data file does not define for the asked date."""


MAX_FOUND = 1024  # look-ups remembered per program: a few dozen parameters on the few dates being typed


class Terms(NamedTuple):
    """One program's parameters: `terms.get("claim_fee.first", on=day)`."""

    program: str
    params: dict[str, dict]
    interpretations: dict[str, dict]
    clause_prefix: str = ""  # e.g. "lnd": every clause id of the program starts "lnd-"
    reading_prefix: str = ""  # e.g. "LND": its own readings start "LND-"
    clauses: frozenset[str] = frozenset()  # the clauses the program encodes: what it may cite (data file `clauses`)
    found: dict[tuple[str, date], Value] | None = None  # get's answers so far (one claim date asks the same ones again)

    def clause(self, name: str) -> str:
        """The program's id of a clause the LINE programs share by name (`contact` → `lnb-contact`), if it encodes it."""
        clause = f"{self.clause_prefix}-{name}"
        if clause not in self.clauses:
            raise TermsError(f"{self.program}: clause {clause!r} is not in the `clauses` of rules/data/{self.program}.toml")
        return clause

    def reading(self, name: str) -> str:
        """The program's id of a shared reading (`HOURS` → `LNB-HOURS`), if its data defines it."""
        reading = f"{self.reading_prefix}-{name}"
        if reading not in self.interpretations:
            raise TermsError(f"{self.program}: no reading {reading!r} in rules/data")
        return reading

    def get(self, name: str, on: date) -> Value:
        """The value in force on `on`: the latest entry whose date is not after it."""
        found = self.found.get((name, on)) if self.found is not None else None
        if found is not None:
            return found
        try:
            param = self.params[name]
        except KeyError:
            raise TermsError(f"{self.program}: no parameter {name!r} in rules/data") from None
        in_force = None
        for entry in param["dated"]:  # sorted by date (_flatten): the last one not after `on`
            if entry[0] > on:
                break
            in_force = entry
        if in_force is None:
            raise TermsError(f"{self.program}: {name!r} has no value in force on {on.isoformat()}")
        since, value = in_force
        found = Value(name=name, value=value, clause=param["clause"], since=since)
        if self.found is not None:
            if len(self.found) >= MAX_FOUND:
                self.found.clear()
            self.found[name, on] = found
        return found

    def amount(self, name: str, on: date) -> int:
        """An integer parameter (yen, days, months, counts)."""
        value = self.get(name, on).value
        assert isinstance(value, int)
        return value


def _flatten(table: dict, prefix: str = "") -> dict[str, dict]:
    """Dotted names for every table that has `values` and `clause`."""
    found: dict[str, dict] = {}
    for key, sub in table.items():
        if not isinstance(sub, dict):
            continue
        name = f"{prefix}{key}"
        if "values" in sub:
            # parsed and ordered once here, not on every lookup (evaluate runs on every keystroke)
            found[name] = {**sub, "dated": sorted((date.fromisoformat(k), v) for k, v in sub["values"].items())}
        else:
            found.update(_flatten(sub, name + "."))
    return found


def _tables(program_module: str) -> dict:
    """The tables of rules/data/<module>.toml; the browser's archive holds them as JSON instead (build.py)."""
    loader = __spec__.loader  # reads files here and, in the browser, members of the archive the rules live in
    source = os.path.join(DATA_DIR, f"{program_module}.toml")
    try:
        text = loader.get_data(source)
    except OSError:
        try:
            return json.loads(loader.get_data(os.path.join(DATA_DIR, f"{program_module}.json")))
        except OSError:
            raise TermsError(f"no data file {source}") from None
    import tomllib  # here only: the browser never loads the TOML parser

    return tomllib.loads(text.decode("utf-8"))


def _with_prefixes(value: object, clause: str, reading: str) -> object:
    """A shared table with `{p}` and `{P}` made the extending program's clause and reading prefixes."""
    if isinstance(value, str):
        return value.replace("{p}", clause).replace("{P}", reading)
    if isinstance(value, dict):
        return {key: _with_prefixes(sub, clause, reading) for key, sub in value.items()}
    return value


@cache
def load(program_module: str) -> Terms:
    """Read one data file once (the only I/O the package does), with the shared file it `extends`, if any."""
    raw = _tables(program_module)
    prefix = raw.get("prefix", {})
    clause, reading = prefix.get("clause", ""), prefix.get("reading", "")
    params, interpretations = _flatten(raw.get("params", {})), raw.get("interpretations", {})
    if "extends" in raw:
        shared = _with_prefixes(_tables(raw["extends"]), clause, reading)
        assert isinstance(shared, dict)
        params = {**_flatten(shared.get("params", {})), **params}  # by dotted name: the program's own entry wins
        interpretations = {**{f"{reading}-{key}": entry for key, entry in shared.get("interpretations", {}).items()}, **interpretations}
    terms = Terms(program_module, params, interpretations, clause, reading, frozenset(raw.get("clauses", ())), {})
    if terms.clauses:  # what the data cites is among what the program declares it encodes
        undeclared = sorted({entry["clause"] for entry in [*params.values(), *interpretations.values()]} - terms.clauses)
        if undeclared:
            raise TermsError(f"rules/data/{program_module}.toml cites {undeclared} but does not list them in `clauses`")
    return terms


@cache
def general() -> Terms:
    """Parameters shared by every program (tax rate) and general interpretations."""
    return load("general")
