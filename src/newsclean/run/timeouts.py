"""Per-document time limits (``doc_timeout``): the part that runs in the process that cleans.

A :class:`Watchdog` belongs to a :class:`~newsclean.run.worker.Worker`.  The worker stamps each
document's start (:meth:`Watchdog.begin`) and end (:meth:`Watchdog.end`): a store, no system
call.  While a task is being cleaned (:meth:`Watchdog.arm`), a periodic ``SIGALRM``
(``setitimer``, every :func:`tick` seconds) looks at the stamp; once the document has run longer
than the limit, the handler raises :class:`DocumentTimeout` inside the cleaner (named from the
stack: :func:`running_cleaner`), and the worker reports the document with that cleaner's name and
handles it with the run's ``on_error`` policy.  The signal fires again every
tick while the document is still running, so a cleaner that catches even ``BaseException`` is
likely interrupted again outside its ``try``.

A signal reaches Python code at the next bytecode and C code that checks for signals (``re``
and ``regex`` matching do); C code that never checks (``unicodedata.normalize``, a stuck C
extension) cannot be interrupted from inside.  For that, the process pool's parent reads what
the watchdog publishes in shared memory (:data:`STATUS_FIELDS`: the task, the document's ordinal
in it, its start time, and the cleaner running, which the worker stores before each cleaner) and
stops the worker process after the limit plus :func:`grace` (:mod:`newsclean.run.executors.processes`).

Signals reach only the main thread: where the worker runs in another thread (a Dask worker's
task threads), nothing can interrupt a document, and a document that finishes over the limit
is reported when it finishes (:meth:`Watchdog.end`).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import MutableSequence
from types import FrameType
from typing import Any

__all__ = ["STATUS_FIELDS", "DocumentTimeout", "Watchdog", "grace", "running_cleaner", "tick"]

#: one worker's row in the shared status array: task ticket, document ordinal in the task,
#: document start (``time.monotonic()``, 0 when no document is being cleaned), cleaner index (-1: unknown)
STATUS_FIELDS = 4
TICKET, ORDINAL, STARTED, CLEANER = range(STATUS_FIELDS)


class DocumentTimeout(BaseException):
    """A document ran longer than the run's ``doc_timeout``; raised inside the cleaner cleaning it.

    A ``BaseException``, like ``KeyboardInterrupt``, so that a cleaner's ``except Exception`` cannot
    swallow it (and so the pipeline does not wrap it: it names the cleaner itself)."""

    def __init__(self, seconds: float = 0.0, took: float = 0.0, cleaner: str | None = None) -> None:
        super().__init__(f"took {took:.1f} s, longer than the {seconds:g} s time limit" if took else
                         f"did not finish within the {seconds:g} s time limit")
        self.seconds = seconds
        self.took = took  # when the document could not be interrupted: how long it took
        self.cleaner = cleaner  # the cleaner interrupted (None: not known)


def running_cleaner(frame: FrameType | None) -> str | None:
    """The name of the pipeline's cleaner whose code ``frame`` (a signal handler's) is in: the outermost
    :class:`~newsclean.Cleaner` method on the stack.  Looked up only when a document is interrupted, so
    that cleaning costs nothing for it."""
    from ..cleaner import Cleaner

    name = None
    while frame is not None:
        if "self" in frame.f_code.co_varnames:
            owner = frame.f_locals.get("self")
            if isinstance(owner, Cleaner):
                name = owner.name
        frame = frame.f_back
    return name


def tick(seconds: float) -> float:
    """How often a running document's age is checked: a quarter of the limit, at most once a second."""
    return min(1.0, max(seconds / 4, 0.01))


def grace(seconds: float) -> float:
    """How long after the limit a process pool waits for the interruption before it stops the worker."""
    return min(10.0, max(1.0, seconds / 4))


class Watchdog:
    """Interrupts a document that runs longer than ``seconds`` (see the module documentation).

    ``status`` (optional) is a shared array and ``row`` this worker's row in it, where the current
    task, document and cleaner are published for a parent process to read.
    """

    def __init__(self, seconds: float, status: MutableSequence[float] | None = None, row: int = 0) -> None:
        self.seconds = seconds
        self.started = 0.0
        self.status = status
        self.base = row * STATUS_FIELDS
        self.signals = False  # interrupting with SIGALRM (the task runs in the main thread)
        self._armed = 0
        self._previous: Any = None

    @property
    def armed(self) -> bool:
        """True while a task is being cleaned."""
        return self._armed > 0

    # a task
    def arm(self) -> None:
        """A task starts (calls nest): check running documents every :func:`tick` seconds until :meth:`disarm`."""
        self._armed += 1
        if self._armed == 1:
            self.signals = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        if self._armed == 1 and self.signals:
            self._previous = signal.signal(signal.SIGALRM, self._on_tick)
            period = tick(self.seconds)
            signal.setitimer(signal.ITIMER_REAL, period, period)

    def disarm(self) -> None:
        self._armed -= 1
        if self._armed == 0 and self.signals:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous if self._previous is not None else signal.SIG_DFL)

    def _on_tick(self, signum: int, frame: FrameType | None) -> None:
        started = self.started
        if started and time.monotonic() - started > self.seconds:
            raise DocumentTimeout(self.seconds, cleaner=running_cleaner(frame))

    # a document
    def begin(self, ordinal: int) -> None:
        """The document ``ordinal`` (0-based, in the task) starts."""
        started = time.monotonic()
        status = self.status
        if status is not None:
            base = self.base
            status[base + ORDINAL] = ordinal
            status[base + CLEANER] = -1
            status[base + STARTED] = started
        self.started = started

    def end(self) -> float:
        """The document is done; how long it took if it ran over the limit without being interrupted (no
        signals here), else 0."""
        started, self.started = self.started, 0.0
        if self.status is not None:
            self.status[self.base + STARTED] = 0.0
        if self.signals or not started:
            return 0.0
        took = time.monotonic() - started
        return took if took > self.seconds else 0.0

    def task(self, ticket: int) -> None:
        """Publish the ticket of the task this worker starts."""
        if self.status is not None:
            self.status[self.base + TICKET] = ticket
