"""Seeds: one numpy Generator per run, derived from a root seed with SeedSequence."""

from __future__ import annotations

import numpy as np

from polarsim.errors import PolarsimInputError


def check_replicate(replicate: int, field: str = "replicate") -> int:
    """The replicate number as a plain int (a NumPy integer too), or a PolarsimInputError
    naming `field`: a bool, a float (1.7, or 1.0) or a negative number is refused."""
    if isinstance(replicate, bool) or not isinstance(replicate, int | np.integer):
        raise PolarsimInputError(
            f"expected a non-negative whole number, found {replicate!r}", field=field
        )
    if replicate < 0:
        raise PolarsimInputError(
            f"expected a non-negative whole number, found {replicate}", field=field
        )
    return int(replicate)


def replicate_rng(seed: int, replicate: int = 0) -> np.random.Generator:
    """The Generator of replicate `replicate` under root seed `seed`: the replicate-th
    child of SeedSequence(seed), which is what `polarsim.run(seed=, replicates=R)` gives
    that replicate for any R above it, so a model built by hand reproduces a run."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise PolarsimInputError(f"expected a non-negative integer, found {seed!r}", field="seed")
    replicate = check_replicate(replicate)
    return np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(replicate,)))
