"""The registry of programs, by the public ids that URLs and embeds use."""

from __future__ import annotations

from . import ismartphones, line_byod, line_device
from .engine import Program

PROGRAMS: dict[str, Program] = {program.id: program for program in (ismartphones.PROGRAM, line_device.PROGRAM, line_byod.PROGRAM)}
