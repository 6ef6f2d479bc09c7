"""Wall time of `polarsim study` from scratch and rebuilt from its cache.

    PYTHONPATH=src python benchmarks/bench_study.py            # the full paper study
    PYTHONPATH=src python benchmarks/bench_study.py --quick    # the reduced design

Prints the time of each part (computed or reused), the total, and the load average, as
the machine may be shared. The budget of the paper study is 15 minutes on 2 cores with
the local backend.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from polarsim.study import run_study

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "experiments" / "paper" / "study.yaml"


def _run(out: Path, quick: bool, workers: int | None) -> dict:
    start = time.perf_counter()
    run_study(STUDY, out=out, workers=workers, quick=quick, progress=False)
    prov = json.loads((out / "study.json").read_text())
    prov["measured_s"] = time.perf_counter() - start
    return prov


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--workers", type=int, default=None, help="default: the study's")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "paper"
        for label in ("from scratch", "rebuild from cache"):
            prov = _run(out, args.quick, args.workers)
            print(f"{label}: {prov['measured_s']:.1f} s")
            for part in prov["parts"]:
                print(f"  {part['part']:<40} {part['action']:<9} {part['wall_time_s']:8.1f} s")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
