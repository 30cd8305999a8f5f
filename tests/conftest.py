"""Tests run from the repository root, against the package in workflow/ (installed or not).

The tests mirror the package: ``tests/{core,clean,estimate,compare,render,audit,release}/`` test
its subpackages without Snakemake; ``tests/workflow/`` runs Snakemake end to end (marked ``slow``:
``pytest -m "not slow"`` is the quick loop). Helpers shared across folders (``hand_formulas``)
live here in ``tests/``."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.chdir(ROOT)
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "tests"))  # hand_formulas, from any folder of tests
