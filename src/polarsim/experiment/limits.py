"""The limits of sweeps, in one place (docs/reliability.md lists them).

Each is a guard against a typo or a hostile file turning into a machine that swaps,
forks without end or hangs: a sweep above a limit is refused before anything is
allocated or written, with a message naming the value that drove it."""

from __future__ import annotations

#: Runs (design points x replicates) one sweep folder may hold. A run of a 45-year
#: scenario takes tens of milliseconds, so a million runs is about a day of one CPU
#: (hours on a cluster); the bookkeeping of a sweep (its design, the list of its tasks,
#: the set of those done) costs a few hundred bytes per run in each process, a few
#: hundred MB at this size. Split a larger study into several sweeps.
MAX_RUNS = 1_000_000

#: Bytes one value of the design matrix costs while it is built (numpy float64); the
#: memory estimate in the refusal message is design points x (parameters + 1) x this,
#: a lower bound (a grid is built from Python tuples, several times larger).
DESIGN_VALUE_BYTES = 8

#: With --oversubscribe, at most this many worker processes per CPU: beyond it the
#: processes only compete for the CPUs (each holds a model, about 200 MB) and a typo
#: such as --workers 4000 would fork a machine to a halt.
MAX_WORKERS_PER_CPU = 4

#: Seconds between two checks by a worker process that its parent is still alive (the
#: portable watchdog; on Linux the parent-death signal ends it at once). A worker whose
#: parent was killed exits within about this time.
WATCHDOG_INTERVAL_S = 0.5
