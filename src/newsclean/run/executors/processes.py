"""The ``processes`` executor: a local pool of ``jobs`` worker processes (``--jobs N``).

Each worker process is forked (on Linux, while this process has one thread) or spawned with
the pipeline and builds its :class:`~newsclean.run.worker.Worker` once.  Outputs come back
through :class:`~newsclean.run.executors.slots.SharedSlots` when the workers were forked: the
worker copies its output into the slot given to the task and returns only the length, and the
writer writes straight from the slot (sending a megabyte through a pipe costs about as much CPU
as the slot saves on two cores).  Outputs too large for a slot, and all outputs of spawned
workers, come back through the pipe.

The pool is this module's own, not :class:`concurrent.futures.ProcessPoolExecutor`, because a
run must be able to stop, replace and account for one worker without losing the others:

- each worker has its own pipe and at most two tasks (the second only when it is small enough
  not to block the pipe); this process knows which tasks each worker holds;
- with a per-document time limit, each worker publishes the document and cleaner it is working
  on in shared memory (:mod:`newsclean.run.timeouts`); a document still running the limit plus a
  grace period after it started (the worker's own interruption did not work: C code that ignores
  signals) gets its worker killed and replaced, and the task is run again by another worker with
  that document handed to the ``on_error`` policy (reported with its line and cleaner);
- a worker that dies (the OOM killer, a segfault in a C extension) is replaced the same way: the
  document it was cleaning is reported and handed to ``on_error``; a task it held between
  documents is run again, at most :data:`MAX_ATTEMPTS` times, and the death is reported;
- all waiting happens in :meth:`ProcessesExecutor.poll` in this thread, so Ctrl-C or SIGTERM
  reaches the run at once; :meth:`ProcessesExecutor.shutdown` after an interruption kills the
  workers instead of waiting for them;
- workers ignore SIGINT (the terminal sends Ctrl-C to every process of the group; the run
  stops them) and are started with SIGINT and SIGTERM blocked until their handlers are set, so a
  signal during start-up prints no traceback; on Linux each asks the kernel to kill it when this
  process dies (``PR_SET_PDEATHSIG``), elsewhere a thread watches the parent; an idle worker
  also exits when its pipe closes.  No worker outlives the run, even after ``kill -9``.

If no worker process can be started (no semaphores, no ``/dev/shm``), the executor says so in
:attr:`notices` and runs every task in the calling process instead.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from ...pipeline import Pipeline
from .. import worker as _worker
from ..tasks import Result, Settings, Task
from ..timeouts import CLEANER, ORDINAL, STARTED, STATUS_FIELDS, TICKET, grace
from . import Done, ExecutorError
from .inline import InlineExecutor
from .slots import SharedSlots

__all__ = ["MAX_ATTEMPTS", "ProcessesExecutor"]

#: how many times a task is started on a worker that dies while it holds the task between documents
MAX_ATTEMPTS = 3
#: a task whose pickle is at most this large may wait in a busy worker's pipe (larger ones wait here)
_PREFETCH_BYTES = 16384
#: how long the pool sleeps between looks at its workers when it has nothing else to wait for
_POLL = 0.5
_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_MASKS = hasattr(signal, "pthread_sigmask")  # (not on Windows)

_slots: SharedSlots | None = None  # in a worker process: the slots inherited from the parent


def _pool_context() -> Any:
    """The multiprocessing context for the workers: on Linux, ``fork`` while this process has a
    single thread (no lock can be copied half-held then), so that workers inherit the pipeline
    without pickling and share the output slots (Python 3.14 made ``forkserver`` the Linux
    default); otherwise the platform's default (``spawn`` on macOS, where ``fork`` is unsafe)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def ignore_interrupts() -> None:
    """In a worker process: the parent handles Ctrl-C (and stops the workers); SIGTERM ends the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def exit_with_parent(parent: int | None) -> None:
    """In a worker process: end when the parent process ends, however it ends (even ``kill -9``).

    ``parent`` is the process that started this one (``None``: a fork server did, which ends with it);
    if it is already gone, end now."""
    if parent is None:
        parent = os.getppid()
    elif os.getppid() != parent:
        os._exit(1)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
                if os.getppid() != parent:  # the parent died before the request
                    os._exit(1)
                return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="newsclean-parent-watch", daemon=True).start()


def _serve(conn: Connection, other_end: Connection | None, parent: int | None, row: int, status: Any,
           pipeline: Pipeline,
           settings: Settings, slots: SharedSlots | None) -> None:
    """A worker process: run the tasks that come through ``conn`` until it closes (or an empty message).
    ``other_end``: the parent's end of the pipe, when inherited by a fork (closed here, so that the pipe
    closes when the parent dies)."""
    global _slots
    ignore_interrupts()
    if other_end is not None:
        other_end.close()
    exit_with_parent(parent)
    if _MASKS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    _slots = slots
    worker = _worker.install("processes", pipeline, settings, status, row)
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not message:
            return
        ticket, task, slot = pickle.loads(message)
        if worker.watch is not None:
            worker.watch.task(ticket)
        try:
            reply: tuple[int, Any, int] = (ticket, *_work(task, slot))
        except Exception as exc:  # a bug, not a document's problem: the parent raises it
            reply = (ticket, exc, -2)
        try:
            data = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            data = pickle.dumps((ticket, RuntimeError(f"cannot send a result back: {exc}"), -2))
        try:
            conn.send_bytes(data)
        except OSError:
            return


def _work(task: Task, slot: int) -> tuple[Result, int]:
    """Run ``task``; the output goes into shared ``slot`` if it fits (returns its length, else -1)."""
    result = _worker.worker_for("processes").process(task)
    out = result.out
    if out is not None and _slots is not None and _slots.store(slot, out):  # type: ignore[arg-type]
        result.out = None
        return result, len(out)
    return result, -1


@dataclass
class _Job:
    """A submitted task, as this process tracks it until its result is taken."""

    task: Task
    slot: int
    attempts: int = 0
    notes: list[str] = field(default_factory=list)  # deaths of workers that held it, to report with its result


class _Proc:
    """One worker process, seen from the parent."""

    def __init__(self, process: Any, conn: Connection, row: int) -> None:
        self.process = process
        self.conn = conn
        self.row = row
        self.tickets: deque[int] = deque()  # tasks sent to it, in order; the first is running
        self.stopped: str | None = None  # why this process killed it


class _PoolHandle:
    __slots__ = ("_executor", "_slot", "_slots", "_ticket", "_view")

    def __init__(self, executor: ProcessesExecutor, ticket: int, slots: SharedSlots | None, slot: int) -> None:
        self._executor = executor
        self._ticket = ticket
        self._slots = slots
        self._slot = slot
        self._view: memoryview | None = None

    def done(self) -> bool:
        return self._executor.finished(self._ticket)

    def result(self) -> Result:
        result, shared = self._executor.take(self._ticket)
        if shared >= 0:
            assert self._slots is not None
            self._view = self._slots.view(self._slot, shared)
            result.out = self._view
        return result

    def release(self) -> None:
        if self._view is not None:
            self._view.release()
            self._view = None
        if self._slots is not None:
            self._slots.give(self._slot)
            self._slots = None


class ProcessesExecutor(InlineExecutor):
    name = "processes"

    def __init__(self, jobs: int, *, chunk_size: int) -> None:
        super().__init__(jobs)
        self.chunk_size = chunk_size
        self.pool = False
        self.slots: SharedSlots | None = None
        self.procs: list[_Proc] = []
        self.pending: deque[int] = deque()
        self.work: dict[int, _Job] = {}
        self.results: dict[int, tuple[Any, int]] = {}
        self._tickets = 0
        self.limit: float | None = None

    # starting
    def start(self, pipeline: Pipeline, settings: Settings) -> None:
        self.pipeline, self.settings = pipeline, settings
        self.limit = None if settings.doc_timeout is None else settings.doc_timeout + grace(settings.doc_timeout)
        try:
            self.context = _pool_context()
            if self.context.get_start_method() == "fork":  # only forked workers share an anonymous mapping
                with contextlib.suppress(OSError, ValueError):
                    self.slots = SharedSlots.for_chunks(self.window + 1, self.chunk_size)
            self.status = self.context.RawArray("d", STATUS_FIELDS * self.jobs)
            self.pool = True
            for row in range(self.jobs):
                self._spawn(row)
        # e.g. no /dev/shm for semaphores; a pipeline that cannot be pickled for spawned workers
        except (OSError, NotImplementedError, ImportError, pickle.PicklingError, TypeError) as exc:
            self._kill_all()
            self.pool = False
            if self.slots is not None:  # no workers to share them with
                self.slots.close()
                self.slots = None
            self.notices.append(f"cannot start worker processes ({exc}); cleaning in this process only")
            super().start(pipeline, settings)

    def _spawn(self, row: int) -> None:
        """Start the worker process for status ``row`` and add it to :attr:`procs` (with SIGINT and SIGTERM
        held back until then: the worker ignores them once it can, and this process, interrupted, knows the
        worker to stop)."""
        for index in range(STATUS_FIELDS):
            self.status[row * STATUS_FIELDS + index] = 0.0
        method = self.context.get_start_method()
        mine, theirs = self.context.Pipe(duplex=True)
        process = self.context.Process(
            target=_serve, name=f"newsclean-worker-{row}", daemon=True,
            args=(theirs, mine if method == "fork" else None, os.getpid() if method in ("fork", "spawn") else None,
                  row, self.status, self.pipeline, self.settings, self.slots),
        )
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS) if _MASKS else None
        try:
            process.start()
            self.procs.append(_Proc(process, mine, row))
            self.procs.sort(key=lambda p: p.row)
        finally:
            theirs.close()
            if held is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)

    # submitting and waiting
    def submit(self, task: Task) -> _PoolHandle | Done:
        if not self.pool:
            return super().submit(task)
        slot = self.slots.take() if self.slots is not None else -1
        self._tickets += 1
        ticket = self._tickets
        self.work[ticket] = _Job(task, slot)
        self.pending.append(ticket)
        self._dispatch()
        return _PoolHandle(self, ticket, self.slots if slot >= 0 else None, slot)

    def finished(self, ticket: int) -> bool:
        if ticket not in self.results:
            self.poll(0)
        return ticket in self.results

    def take(self, ticket: int) -> tuple[Result, int]:
        """Wait for ``ticket``'s result and hand it over (raises what the worker raised)."""
        while ticket not in self.results:
            self.poll(_POLL)
        result, shared = self.results.pop(ticket)
        job = self.work.pop(ticket)
        if isinstance(result, BaseException):
            raise result
        for note in job.notes:
            result.errors.insert(0, (job.task.first_line, None, note))
        return result, shared

    def poll(self, timeout: float) -> None:
        """Take the results that are ready, replace dead or hung workers, give idle ones work; wait at most
        ``timeout`` seconds for something to happen."""
        self._dispatch()
        busy = [proc for proc in self.procs if proc.tickets]
        ready = set(wait([proc.conn for proc in busy] + [proc.process.sentinel for proc in self.procs],
                         timeout)) if self.procs else set()
        for proc in list(self.procs):
            if proc.conn in ready:
                self._receive(proc)
            if proc.process.sentinel in ready and proc in self.procs:
                self._lost(proc)
        if self.limit is not None:
            now = time.monotonic()
            for proc in list(self.procs):
                started = self.status[proc.row * STATUS_FIELDS + STARTED]
                if proc.tickets and started and now - started > self.limit:
                    proc.stopped = (f"did not finish within the {self.settings.doc_timeout:g} s time limit; "
                                    "its worker process was stopped")
                    proc.process.kill()
                    proc.process.join()
                    self._receive(proc)
                    if proc in self.procs:
                        self._lost(proc)
        self._dispatch()

    def _receive(self, proc: _Proc) -> None:
        try:
            while proc.tickets and proc.conn.poll():
                ticket, result, shared = pickle.loads(proc.conn.recv_bytes())
                proc.tickets.remove(ticket)
                self.results[ticket] = (result, shared)
        except (EOFError, OSError):
            self._lost(proc)

    def _dispatch(self) -> None:
        """Send waiting tasks, in order, to idle workers (a small one also to a worker with one task)."""
        while self.pending and self.procs:
            idle = [proc for proc in self.procs if not proc.tickets]
            proc = idle[0] if idle else min(self.procs, key=lambda p: len(p.tickets))
            if len(proc.tickets) > 1:
                return
            ticket = self.pending[0]
            job = self.work[ticket]
            message = pickle.dumps((ticket, job.task, job.slot), pickle.HIGHEST_PROTOCOL)
            if proc.tickets and len(message) > _PREFETCH_BYTES:
                return  # it could fill the pipe of a worker that is busy (or hung): wait for an idle one
            try:
                proc.conn.send_bytes(message)
            except OSError:
                self._lost(proc)
                continue
            self.pending.popleft()
            job.attempts += 1
            proc.tickets.append(ticket)

    def _lost(self, proc: _Proc) -> None:
        """``proc`` died or was killed: replace it and give its tasks to the others."""
        proc.process.join()
        self.procs.remove(proc)
        with contextlib.suppress(OSError):
            proc.conn.close()
        cause = proc.stopped or f"worker process died ({_death(proc.process.exitcode)})"
        base = proc.row * STATUS_FIELDS
        running = int(self.status[base + TICKET]) if self.status[base + STARTED] else 0
        for position, ticket in enumerate(proc.tickets):
            job = self.work[ticket]
            if ticket == running:  # it stopped in this document: the next attempt hands it to on_error
                index = int(self.status[base + CLEANER])
                if index >= len(self.pipeline):
                    index = -1
                who = f"cleaner {self.pipeline.names[index]!r}" if index >= 0 else "the document"
                what = (f"{who} {cause}" if proc.stopped else
                        f"{cause} while {who} was cleaning this document" if index >= 0
                        else f"{cause} while cleaning this document")
                ordinal = int(self.status[base + ORDINAL])
                job.task = _with_given_up(job.task, ordinal, what)
                job.attempts -= 1
            elif position > 0:
                job.attempts -= 1  # it never started
            elif job.attempts < MAX_ATTEMPTS:
                job.notes.append(f"{cause}; this part was cleaned again")
            else:
                job.notes.clear()
                self.results[ticket] = (Result(None, False, job.task.length, fatal=(
                    f"{cause}, {job.attempts} times on the same part; skipped")), -1)
        again = [ticket for ticket in proc.tickets if ticket not in self.results]
        self.pending.extendleft(reversed(again))
        proc.tickets.clear()
        if self.pool:
            try:
                self._spawn(proc.row)
            except OSError as exc:  # e.g. out of memory or processes
                raise ExecutorError(f"cannot start a worker process to replace one that stopped: {exc}") from None

    # stopping
    def shutdown(self, cancel: bool) -> None:
        if self.pool:
            self.pool = False
            if not cancel:
                for proc in self.procs:
                    with contextlib.suppress(OSError):
                        proc.conn.send_bytes(b"")
                deadline = time.monotonic() + 5.0
                for proc in self.procs:
                    proc.process.join(max(0.0, deadline - time.monotonic()))
            self._kill_all()
        if self.slots is not None:
            self.slots.close()
            self.slots = None
        super().shutdown(cancel)

    def _kill_all(self) -> None:
        for proc in self.procs:
            if proc.process.exitcode is None:
                with contextlib.suppress(OSError):
                    proc.process.kill()
        for proc in self.procs:
            proc.process.join()
            with contextlib.suppress(OSError):
                proc.conn.close()
        self.procs = []


def _with_given_up(task: Task, ordinal: int, message: str) -> Task:
    from dataclasses import replace

    return replace(task, given_up=(*task.given_up, (ordinal, message)))


def _death(exitcode: int | None) -> str:
    """How a worker process ended, said briefly."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name}" + (", perhaps by the out-of-memory killer" if name == "SIGKILL" else "")
    return f"exit status {exitcode}"
