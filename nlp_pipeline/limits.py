"""Limits: a time limit per input file, and SIGTERM turned into a clean abort.

``time_limit(seconds)`` raises ``FileTimeout`` in the code it guards once that
many seconds have passed (a ``SIGALRM`` timer, so it interrupts Python code and
the ``regex`` module's matching alike); ``run.process_file`` turns that into the
file's error, so one runaway file does not hang a batch. It works in the main
thread of a process (POSIX only); elsewhere it does nothing.

``terminate_as_interrupt()`` makes ``SIGTERM`` raise ``Interrupted`` in the
process that installed it, so a killed run unwinds like Ctrl-C: the output
writer removes its temporary file and the previous output stays as it was.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class FileTimeout(Exception):
    """Processing one file took longer than its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s (--timeout); skipped")
        self.seconds = seconds


class Interrupted(BaseException):
    """The run was stopped by a signal (``SIGTERM``); not an error of any file."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def _can_use_signals() -> bool:
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``FileTimeout`` inside the block after ``seconds`` (``None``/0: no limit)."""
    if not seconds or seconds <= 0 or not _can_use_signals():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise FileTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While inside the block, ``SIGTERM`` raises ``Interrupted`` in this process.

    Child processes forked meanwhile (worker pools) inherit the handler; in them
    it restores the default action and re-sends the signal, so they just end.
    """
    if not _can_use_signals():
        yield
        return
    owner = os.getpid()

    def stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
