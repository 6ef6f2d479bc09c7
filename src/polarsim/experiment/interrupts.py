"""Ctrl-C that a sweep cannot lose.

Python turns SIGINT into a KeyboardInterrupt raised wherever the main thread happens
to be, and some library code swallows it there: numpy's dtype comparison clears any
error raised while it converts its other operand, so an interrupt that lands in
pandas' `dtype == self.dtype` (as `DataFrame.__getitem__` on Arrow strings does) is
dropped without a word, and the sweep runs to its end. Measured with the sweep of
tests/experiment/test_sweep_interrupted.py stopped with SIGSTOP, sent SIGINT and
continued: 3 of 30 runs ended with exit 0 before this latch.

`InterruptLatch` notes the interrupt as well as raising it, and the sweep checks the
note between chunks, so a swallowed Ctrl-C still stops it at the next chunk."""

from __future__ import annotations

import signal
import threading


class InterruptLatch:
    """Within `with InterruptLatch() as latch:`, SIGINT raises KeyboardInterrupt as
    Python's default handler does and is also remembered; `latch.check()` raises it
    again if it was raised before. Only the default handler in the main thread is
    replaced (a notebook's or an embedding program's own handler is left alone), and
    it is restored on exit."""

    def __init__(self) -> None:
        self.interrupted = False
        self._previous = None

    def _note(self, signum, frame) -> None:
        self.interrupted = True
        raise KeyboardInterrupt

    def __enter__(self) -> InterruptLatch:
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._previous = signal.signal(signal.SIGINT, self._note)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def check(self) -> None:
        """Raise KeyboardInterrupt if one was raised inside the block before."""
        if self.interrupted:
            raise KeyboardInterrupt
