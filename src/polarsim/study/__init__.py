"""Studies: one file lists the experiments a paper needs; one command reruns what is
missing and writes every figure, table and a report (`polarsim study FILE`). The same
layer draws single figures and tables from result folders (`polarsim plot`, `polarsim
table`: polarsim.study.folders)."""

from typing import TYPE_CHECKING

from polarsim._lazy import lazy_exports

_EXPORTS = {
    "StudyResults": "polarsim.study.build",
    "compute_study": "polarsim.study.build",
    "run_study": "polarsim.study.build",
    "PlotResult": "polarsim.study.folders",
    "plot_folder": "polarsim.study.folders",
    "write_plot": "polarsim.study.folders",
    "Study": "polarsim.study.spec",
    "load_study": "polarsim.study.spec",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from polarsim.study.build import StudyResults, compute_study, run_study
    from polarsim.study.folders import PlotResult, plot_folder, write_plot
    from polarsim.study.spec import Study, load_study

__all__ = [
    "PlotResult",
    "Study",
    "StudyResults",
    "compute_study",
    "load_study",
    "plot_folder",
    "run_study",
    "write_plot",
]
