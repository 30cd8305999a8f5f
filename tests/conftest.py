"""Tests run from the repository root, against the package in workflow/ (installed or not)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.chdir(ROOT)
sys.path.insert(0, str(ROOT / "workflow"))
