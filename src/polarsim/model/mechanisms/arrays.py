"""Array helpers for the step: the same numpy kernels as the public functions, without
their Python wrappers. On the (3, S, P) arrays of a run the wrapper is most of a call's
cost (np.clip: about 3 us of 3.5 on a 5 x 5 array), and the step makes many such calls;
the results are the same to the last bit because the same ufunc does the arithmetic."""

from __future__ import annotations

import numpy as np

#: the ufunc np.clip(a, lo, hi) calls for a float array with both bounds given (numpy 1
#: kept it in np.core, numpy 2 in np._core)
clip = (np._core if hasattr(np, "_core") else np.core).umath.clip


#: ndarray.sum, .any and .all: the reductions they call, without the Python layer
add_reduce = np.add.reduce
any_reduce = np.logical_or.reduce
min_reduce = np.minimum.reduce

#: 0.0 and 1.0 as 0-d float arrays: a ufunc converts a Python float operand to such an
#: array on every call (about 0.25 us of a 0.6 us call on a 5 x 5 array); these are
#: converted once. The same float64 operand, so the same results to the last bit.
ZERO = np.array(0.0)
ONE = np.array(1.0)
for _a in (ZERO, ONE):
    _a.setflags(write=False)


def clip_unit(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """np.clip(a, 0.0, 1.0) (into `out` if given)."""
    return clip(a, ZERO, ONE, out=out)


def all_positive(a: np.ndarray) -> bool:
    """(a > 0).all(), as the smallest element > 0: one reduction instead of a comparison
    and a reduction (a NaN fails both: the minimum of an array holding one is NaN)."""
    return min_reduce(a, axis=None) > 0.0
