"""Start-up of the warranty checker inside Pyodide: import the rules (bytecode and data) straight from this archive."""

from __future__ import annotations

import sys

APP_DIR = "_app"  # the archive's folder of the rules' bytecode and data (build.py's APP_PREFIX is read from here)
sys.path.insert(0, f"{__file__.rpartition('/')[0]}/{APP_DIR}")  # zipimport reads a folder inside the archive

import rules  # noqa: E402

evaluate_json = rules.evaluate_json

import gc  # noqa: E402

# Everything alive now (modules, code, the rules' tables) stays alive: keep it out of the collector's
# scans, so a collection while answering only looks at that answer's objects (round trip p95).
gc.freeze()
