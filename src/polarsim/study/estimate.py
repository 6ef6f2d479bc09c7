"""What `polarsim study FILE` will run, before it runs (`--dry-run`): the scenario
library with its ablation and varied assumptions, the phase grid and the sensitivity
sweep, each sized and timed as experiment.dry_run does; results already in the
study's cache are not subtracted (the estimate is for a first build)."""

from __future__ import annotations

from pathlib import Path

from polarsim.experiment.dry_run import Estimate, estimate_loaded, time_scenario


def runs_per_scenario() -> int:
    """Runs a study simulates per scenario of its library: as shipped, one per
    switched-off mechanism and one per varied assumption. The comparison, the ablation's
    full model and the assumptions' shipped values are the same runs, simulated once
    (run.shared_runs in study.build)."""
    from polarsim.ablation import MECHANISMS
    from polarsim.assumptions import ASSUMPTIONS

    return 1 + len(MECHANISMS) + len(ASSUMPTIONS)


def estimate_study(study_path: str | Path, *, workers: int | None = None, quick: bool = False):
    """An Estimate with one part per piece of the study."""
    from polarsim.experiment.spec import base_path, load_experiment
    from polarsim.study.spec import load_study

    study_path = Path(study_path)
    study = load_study(study_path)
    here = study_path.parent
    workers = workers or study.workers
    sc = study.scenarios
    files = sc.files[: study.quick.scenarios] if quick else sc.files
    replicates = study.quick.replicates if quick else sc.replicates
    point_s, rep_s, rep_bytes = time_scenario(here / files[0])
    n = len(files) * runs_per_scenario()
    parts = [
        Estimate(
            "scenarios, their ablation and assumptions",
            n,
            replicates,
            n * replicates,
            point_s,
            rep_s,
            max(1, min(workers, len(files))),
            len(files) * replicates * rep_bytes,  # the runs' tables; the ablation's are reduced
        )
    ]
    phase = load_experiment(here / study.phase.experiment)
    if quick:
        design = phase.design.model_copy(update={"levels": study.quick.levels})
        phase = phase.model_copy(
            update={"design": design, "replicates": study.quick.phase_replicates}
        )
    parts.append(
        estimate_loaded(
            phase, base_path(here / study.phase.experiment, phase), "phase grid", workers
        )
    )
    sens = load_experiment(here / study.sensitivity.experiment)
    samples = study.quick.samples if quick else study.sensitivity.samples
    if samples:
        key = "trajectories" if sens.design.type == "morris" else "samples"
        sens = sens.model_copy(update={"design": sens.design.model_copy(update={key: samples})})
    sens_base = base_path(here / study.sensitivity.experiment, sens)
    parts.append(estimate_loaded(sens, sens_base, "sensitivity sweep", workers))
    first = parts[0]
    return Estimate(
        study_path.name,
        sum(p.points for p in parts),
        first.replicates,
        sum(p.runs for p in parts),
        first.point_seconds,
        first.replicate_seconds,
        workers,
        sum(p.disk_bytes for p in parts),
        parts,
    )
