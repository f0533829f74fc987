"""Executors: they run :class:`~newsclean.run.tasks.Task`\\ s and hand back results, nothing else.

An executor knows nothing of files, formats, order or output: the planner
(:mod:`newsclean.run.plan`) makes the tasks, the writer (:mod:`newsclean.run.writer`) puts
their results in order, and an executor only gets each task done somewhere and returns a
:class:`Handle` to its result.  Each worker process holds one pipeline, built once.

=============  ==================================================================
``inline``     in the calling process (what ``jobs=1`` uses)
``processes``  a local process pool; outputs come back through shared memory
``dask``       a ``distributed`` cluster (``scheduler`` address, or a local one)
``ray``        a Ray cluster (``address``, or a local runtime)
=============  ==================================================================

The life of an executor: ``start(pipeline, settings)``, any number of ``submit(task)``,
then ``shutdown(cancel)`` (always called, also after an error or Ctrl-C; ``cancel=True``
drops tasks not yet started).  ``submit`` does not wait; the writer calls
:meth:`Handle.done` to look, :meth:`Handle.result` to wait, and :meth:`Handle.release`
once it has written the result.

The per-document time limit (``Settings.doc_timeout``) is the worker's: its
:class:`~newsclean.run.timeouts.Watchdog` interrupts a document inside whatever process cleans it
(:meth:`~newsclean.run.worker.Worker.clean_doc` is the only call of the pipeline on a document).
An executor that owns its processes also watches them: ``processes`` kills and replaces a worker
whose document outlives the limit or that dies, and runs its task again (:meth:`Handle.result`,
the only place the writer waits, is where that happens).  :meth:`Executor.shutdown` is called
exactly once, from the ``finally`` of the run (:func:`~newsclean.run.files.clean_files`), with
``cancel=True`` after an error or Ctrl-C: then it stops the workers at once, without waiting.

Where later work plugs in (each is one place, so it can be added without touching the others):

- inputs changing while read: the planner is the one place inputs are opened and measured
  (:meth:`~newsclean.run.plan.Planner.plan`), :meth:`Worker._read` the one place a worker reads a
  byte range, and the writer's ``_read_back`` the one place the writer re-reads one; a stamp
  (size, mtime, inode) put in the :class:`~newsclean.run.tasks.Task` there can be checked here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from ...errors import NewscleanError
from ...pipeline import Pipeline
from ..tasks import Result, Settings, Task

__all__ = ["EXECUTORS", "Done", "Executor", "ExecutorError", "Handle", "make_executor"]

EXECUTORS = ("inline", "processes", "dask", "ray")


class ExecutorError(NewscleanError):
    """An executor cannot run: its engine is not installed, or its cluster cannot be reached (CLI exit 2)."""


class Handle(Protocol):
    """A submitted task's result, ready now or later."""

    def done(self) -> bool:
        """True when :meth:`result` will not wait."""

    def result(self) -> Result:
        """Wait for the task and return its result (raises if the engine lost it for good)."""

    def release(self) -> None:
        """The result has been written: free what it holds (a shared-memory slot).  Safe to call twice."""


class Done:
    """A :class:`Handle` for a result made at once."""

    __slots__ = ("_result",)

    def __init__(self, result: Result) -> None:
        self._result = result

    def done(self) -> bool:
        return True

    def result(self) -> Result:
        return self._result

    def release(self) -> None:
        pass


class Executor(ABC):
    """Runs tasks; see the module documentation for the life cycle."""

    name: str = ""

    def __init__(self, jobs: int) -> None:
        #: workers cleaning in parallel (a cluster executor sets its cluster's size in :meth:`start`)
        self.jobs = jobs
        #: warnings from :meth:`start` for the run to report (e.g. "cleaning in this process only")
        self.notices: list[str] = []

    @property
    def workers(self) -> int:
        """Processes cleaning in parallel, other than the calling one (the planner sizes the last chunks for them)."""
        return self.jobs if self.jobs > 1 else 0

    @property
    def window(self) -> int:
        """How many tasks may be in flight at once (this bounds the memory the results hold)."""
        return max(2, 4 * self.jobs)

    @abstractmethod
    def start(self, pipeline: Pipeline, settings: Settings) -> None:
        """Get the workers ready, each with ``pipeline`` and ``settings``."""

    @abstractmethod
    def submit(self, task: Task) -> Handle:
        """Hand ``task`` to a worker; do not wait for it."""

    def shutdown(self, cancel: bool) -> None:  # noqa: B027  (nothing to stop for an in-process executor)
        """Stop the workers (``cancel``: drop the tasks not started yet); called once, whatever happened."""


def make_executor(
    name: str | None, jobs: int, *, chunk_size: int, address: str | None = None
) -> Executor:
    """The executor called ``name`` (``None``: ``inline`` for one job, else ``processes``).

    ``address`` is the Dask scheduler or Ray cluster to use (``None``: start a local one with
    ``jobs`` workers).  Raises :class:`ExecutorError` when the engine is not installed.
    """
    if name is None:
        name = "inline" if jobs == 1 else "processes"
    if name == "inline":
        from .inline import InlineExecutor

        return InlineExecutor(jobs)
    if name == "processes":
        from .processes import ProcessesExecutor

        return ProcessesExecutor(jobs, chunk_size=chunk_size)
    if name == "dask":
        try:
            from .dask import DaskExecutor
        except ImportError as exc:
            raise ExecutorError(str(exc)) from None
        return DaskExecutor(jobs, address=address)
    if name == "ray":
        try:
            from .ray import RayExecutor
        except ImportError as exc:
            raise ExecutorError(str(exc)) from None
        return RayExecutor(jobs, address=address)
    raise ValueError(f"unknown executor {name!r} (choose from {', '.join(EXECUTORS)})")
