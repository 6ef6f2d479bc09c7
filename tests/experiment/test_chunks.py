"""How a sweep's tasks are cut into chunks (experiment.chunks): every task once, in
order, never more than chunk_size per chunk; with several workers the chunks shrink
towards the end so the workers finish together. That results do not depend on the
chunks is checked by the sweeps run with 1 and 2 workers (test_sweep.py)."""

import pytest

from polarsim.experiment.chunks import MIN_CHUNK_FRACTION, plan_chunks


@pytest.mark.parametrize("n", [0, 1, 7, 200, 1001])
@pytest.mark.parametrize("size", [1, 3, 25])
@pytest.mark.parametrize("workers", [1, 2, 8])
def test_every_task_once_in_order_and_no_chunk_above_the_size(n, size, workers):
    tasks = list(range(n))
    chunks = plan_chunks(tasks, size, workers)
    assert [t for c in chunks for t in c] == tasks
    assert all(1 <= len(c) <= size for c in chunks)


def test_one_worker_gets_chunks_of_the_size():
    assert [len(c) for c in plan_chunks(list(range(60)), 25, 1)] == [25, 25, 10]


def test_several_workers_get_full_chunks_first_then_shrinking_ones():
    sizes = [len(c) for c in plan_chunks(list(range(200)), 25, 2)]
    assert sizes[:5] == [25] * 5  # while much is left, chunks of the size
    assert sizes == sorted(sizes, reverse=True)
    floor = round(25 * MIN_CHUNK_FRACTION)
    assert all(s >= floor for s in sizes[:-1])  # only the very last may be smaller
    # the tail is short: the last chunks hold far fewer tasks than chunk_size, and
    # the shards grow by a handful, not to one per task
    assert sizes[-2] < 25 / 2
    assert len(sizes) <= 200 // 25 + 6
