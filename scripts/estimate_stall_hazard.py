"""The project pipeline against its episodes: how long the projects announced up to
2015 took to open, and what that says about `infrastructure.stall_hazard` and
`infrastructure.resume_rate`.

Episodes: every `project` event of scenarios/historical.yaml announced up to LAST
(its `year`), with its observed opening (`operating_year`, from projects.csv) where it
was open by LAST; a later opening counts as "not open by LAST" (nothing after 2015 is
used). In the model a project under construction counts its years from the year it is
agreed and opens after `build_years[kind]` of them (Line A: agreed 2007, three years,
open 2009), so an opening after more model-years than that is a delay, read as one
stall whose spell lasted the extra years.

Estimates (maximum likelihood for a constant yearly hazard, counts over exposure):
stall hazard = stalls / construction-years at risk (each project's scheduled years, up
to LAST; a stalled one up to its stall, taken as its last scheduled year at risk);
resume rate = resumes / stalled years (an ongoing spell is censored at LAST). The 90 %
intervals are exact Poisson intervals on the counts. The model's project events of
2016 on are not used. The episodes and the hazard are polarsim.observations.estimates,
which `polarsim skill` and `polarsim forecast` also run up to each origin by default
(`--refit auto`; `--refit none` keeps the shipped value).

    PYTHONPATH=src python scripts/estimate_stall_hazard.py
"""

from __future__ import annotations

from pathlib import Path

from scipy.stats import chi2

from polarsim import load_scenario
from polarsim.observations.estimates import stall_episodes

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "historical.yaml"
LAST = 2015
LEVEL = 0.9


def poisson_interval(k: int, exposure: float, level: float = LEVEL) -> tuple[float, float]:
    """Exact (Garwood) interval of a Poisson rate with `k` events over `exposure`."""
    a = 1.0 - level
    lo = chi2.ppf(a / 2, 2 * k) / 2 if k > 0 else 0.0
    hi = chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return lo / exposure, hi / exposure


def episodes() -> list[dict]:
    rows = stall_episodes(load_scenario(SCENARIO), LAST)
    for r in rows:
        r["opened"] = r["opened"] if r["opened"] else f"not by {LAST}"
    return rows


def main() -> None:
    rows = episodes()
    print("| project | kind | agreed | opened | build_years | model-years | delay |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['project']} | {r['kind']} | {r['agreed']} | {r['opened']} | "
            f"{r['build_years']} | {r['model_years']} | {r['delay']} |"
        )
    informative = [r for r in rows if r["model_years"] >= 1]
    stalls = sum(r["stalled"] for r in informative)
    at_risk = sum(r["at_risk"] for r in informative)
    resumes = sum(r["resumed"] for r in informative)
    spell = sum(r["spell"] for r in informative)
    sc = load_scenario(SCENARIO)
    prm = sc.parameters.infrastructure
    h_lo, h_hi = poisson_interval(stalls, at_risk)
    print(
        f"\nstall hazard: {stalls} stalls over {at_risk} construction-years = "
        f"{stalls / at_risk:.3f} per year (90 % {h_lo:.3f}-{h_hi:.3f}); "
        f"default {prm.stall_hazard:g}"
    )
    if spell:
        r_lo, r_hi = poisson_interval(resumes, spell)
        print(
            f"resume rate: {resumes} resumes over {spell} stalled years = "
            f"{resumes / spell:.3f} per year (90 % {r_lo:.3f}-{r_hi:.3f}); "
            f"default {prm.resume_rate:g}"
        )


if __name__ == "__main__":
    main()
