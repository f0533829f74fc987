"""The ``processes`` executor: a local pool of ``jobs`` worker processes (``--jobs N``).

Each worker process is forked (on Linux, while this process has one thread) or spawned with
the pipeline and builds its :class:`~newsclean.run.worker.Worker` once.  Outputs come back
through :class:`~newsclean.run.executors.slots.SharedSlots` when the workers were forked: the
worker copies its output into the slot given to the task and returns only the length, and the
writer writes straight from the slot (sending a megabyte through the pool's pipe costs about
as much CPU as the slot saves on two cores).  Outputs too large for a slot, and all outputs
of spawned workers, come back through the pipe.

If no worker process can be started (no semaphores, no ``/dev/shm``), the executor says so in
:attr:`notices` and runs every task in the calling process instead.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ...pipeline import Pipeline
from .. import worker as _worker
from ..tasks import Result, Settings, Task
from . import Done
from .inline import InlineExecutor
from .slots import SharedSlots

__all__ = ["ProcessesExecutor"]

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
    """In a worker process: the parent handles Ctrl-C (and stops the pool); SIGTERM ends the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _init_worker(pipeline: Pipeline, settings: Settings, slots: SharedSlots | None) -> None:
    global _slots
    ignore_interrupts()
    _slots = slots
    _worker.install("processes", pipeline, settings)


def _work(task: Task, slot: int) -> tuple[Result, int]:
    """Run ``task``; the output goes into shared ``slot`` if it fits (returns its length, else -1)."""
    result = _worker.worker_for("processes").process(task)
    out = result.out
    if out is not None and _slots is not None and _slots.store(slot, out):  # type: ignore[arg-type]
        result.out = None
        return result, len(out)
    return result, -1


class _PoolHandle:
    __slots__ = ("_future", "_slot", "_slots", "_view")

    def __init__(self, future: Future[tuple[Result, int]], slots: SharedSlots | None, slot: int) -> None:
        self._future = future
        self._slots = slots
        self._slot = slot
        self._view: memoryview | None = None

    def done(self) -> bool:
        return self._future.done()

    def result(self) -> Result:
        result, shared = self._future.result()
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
        self.pool: ProcessPoolExecutor | None = None
        self.slots: SharedSlots | None = None

    def start(self, pipeline: Pipeline, settings: Settings) -> None:
        try:
            context = _pool_context()
            if context.get_start_method() == "fork":  # only forked workers share an anonymous mapping
                with contextlib.suppress(OSError, ValueError):
                    self.slots = SharedSlots.for_chunks(self.window + 1, self.chunk_size)
            self.pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=context, initializer=_init_worker,
                initargs=(pipeline, settings, self.slots),
            )
            # Start the workers now, before any thread (progress bar) exists in this process.
            self.pool.submit(int).result()
        except (OSError, NotImplementedError, ImportError) as exc:  # e.g. no /dev/shm for semaphores
            self.pool = None
            if self.slots is not None:  # no workers to share them with
                self.slots.close()
                self.slots = None
            self.notices.append(f"cannot start worker processes ({exc}); cleaning in this process only")
            super().start(pipeline, settings)

    def submit(self, task: Task) -> _PoolHandle | Done:
        if self.pool is None:
            return super().submit(task)
        slot = self.slots.take() if self.slots is not None else -1
        return _PoolHandle(self.pool.submit(_work, task, slot), self.slots if slot >= 0 else None, slot)

    def shutdown(self, cancel: bool) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=cancel)
            self.pool = None
        if self.slots is not None:
            self.slots.close()
            self.slots = None
