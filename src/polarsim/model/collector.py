"""What the process held before a run kept out of Python's cyclic garbage collector
while the run steps.

A run allocates about a hundred thousand container objects (project records, events,
the recorder's rows). Each time enough of them survive a young collection, Python
walks older generations, and now and then every object the process holds: some
150,000 after pandas, SciPy and Mesa are imported, most of them module-level and never
garbage. `gc.freeze()` moves them to a permanent generation that collections skip, and
`gc.unfreeze()` puts them back into the oldest one: both are constant-time list moves.
The collector took about a tenth of a run before (CHANGELOG, "Speed";
benchmarks/bench_instructions.py counts it). Garbage among the frozen objects waits for
the first collection after the run. The numbers are the same either way
(tests/model/test_collector.py).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # runs stepping now in this process (threads may run several)
_froze = False  # whether the first of them froze (not if someone else had frozen)


@contextmanager
def older_objects_frozen() -> Iterator[None]:
    """Within the block, collections skip every object tracked when the first block
    open in the process was entered; the last block to close unfreezes them. Does
    nothing if objects were frozen before (the process's own `gc.freeze()` is kept)."""
    global _depth, _froze
    with _lock:
        if _depth == 0:
            _froze = gc.get_freeze_count() == 0
            if _froze:
                gc.freeze()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _froze:
                gc.unfreeze()
                _froze = False
