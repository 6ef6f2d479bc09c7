"""Studies: one file lists the experiments a paper needs; one command reruns what is
missing and writes every figure, table and a report (`polarsim study FILE`)."""

from polarsim.study.build import StudyResults, compute_study, run_study
from polarsim.study.spec import Study, load_study

__all__ = ["Study", "StudyResults", "compute_study", "load_study", "run_study"]
