"""How a sweep's tasks are grouped into chunks, the unit an engine sends to a worker
and the parent writes as one result shard.

With one worker the chunks are `chunk_size` tasks each. With several, chunks of equal
size leave workers idle at the end: chunks of the same size take different times (a
design point's parameters change how much a run does, other processes take the CPUs
for a while), and the last one to finish runs alone. Measured on a 200-run sweep with
2 workers and chunks of 25: the last chunk ended 0.4 s after the one before it, a
fifth of the sweep. So the chunks shrink towards the end (guided self-scheduling,
Polychronopoulos and Kuck 1987): each takes a share of the tasks left, never more
than `chunk_size` and never fewer than a floor, so the workers finish within a short
chunk of each other while the number of shards grows only by a few. A task's numbers
do not depend on its chunk (its generator comes from its run_id and replicate).
"""

from __future__ import annotations

#: A chunk takes at most the tasks left / (this x workers): with 2, about half of
#: what each worker has left, so the chunks in flight never hold the whole tail.
GUIDED_SHARE = 2
#: The smallest chunk, as a fraction of `chunk_size` (1/4: a 25-task chunk size never
#: makes chunks below 6 tasks), so the tail does not turn into one shard per task.
MIN_CHUNK_FRACTION = 0.25


def plan_chunks[T](tasks: list[T], size: int, workers: int) -> list[list[T]]:
    """`tasks` in order, cut into chunks of at most `size`; with more than one worker
    the chunks shrink towards the end (module docstring)."""
    if workers <= 1:
        return [tasks[i : i + size] for i in range(0, len(tasks), size)]
    floor = max(1, round(size * MIN_CHUNK_FRACTION))
    chunks: list[list[T]] = []
    i = 0
    while i < len(tasks):
        left = len(tasks) - i
        share = -(-left // (GUIDED_SHARE * workers))  # ceiling division
        n = min(size, max(floor, share))
        chunks.append(tasks[i : i + n])
        i += n
    return chunks
