"""Which kind of input file a path holds, from its top-level keys: a scenario, an
experiment (sweep or calibration) or a study."""

from __future__ import annotations

from pathlib import Path

import yaml

from polarsim.errors import PolarsimInputError
from polarsim.inputs.files import read_input_text

KINDS = ("scenario", "experiment", "study")
#: keys only an experiment file (or a calibration, which is one) has at its top level
_EXPERIMENT_KEYS = {"base", "design", "replicates", "outcomes", "calibration", "chunk_size"}
#: keys only a study file has at its top level
_STUDY_KEYS = {"title", "question", "phase", "sensitivity", "ties", "quick", "metric", "out"}


def file_kind(path: str | Path) -> str:
    """ "scenario", "experiment" or "study", from the file's top-level keys (a file that
    cannot be read or parsed counts as a scenario, whose check reports why)."""
    try:
        doc = yaml.safe_load(read_input_text(path, "input file"))
    except (PolarsimInputError, yaml.YAMLError):
        return "scenario"
    if not isinstance(doc, dict):
        return "scenario"
    keys = set(doc)
    if keys & _STUDY_KEYS and "scenarios" in keys:
        return "study"
    if keys & _EXPERIMENT_KEYS and "base" in keys:
        return "experiment"
    return "scenario"
