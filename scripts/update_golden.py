"""Rewrite the golden baseline that tests/run/test_golden.py compares against.

Run it only on purpose, after a change meant to alter the model's numbers, and say so in
CHANGELOG.md ("Changes to outputs"):

    PYTHONPATH=src python scripts/update_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.run.golden import GOLDEN_FILE, golden_summary  # noqa: E402


def main() -> None:
    summary = golden_summary()
    GOLDEN_FILE.write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN_FILE.relative_to(ROOT)} ({len(summary)} scenarios)")


if __name__ == "__main__":
    main()
