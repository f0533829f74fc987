"""The ``inline`` executor: every task in the calling process, one after another (``jobs=1``)."""

from __future__ import annotations

from ...pipeline import Pipeline
from ..tasks import Settings, Task
from ..worker import Worker
from . import Done, Executor

__all__ = ["InlineExecutor"]


class InlineExecutor(Executor):
    name = "inline"

    def __init__(self, jobs: int = 1) -> None:
        super().__init__(jobs)
        self.worker: Worker | None = None

    def start(self, pipeline: Pipeline, settings: Settings) -> None:
        self.worker = Worker(pipeline, settings)

    def submit(self, task: Task) -> Done:
        assert self.worker is not None, "executor not started"
        return Done(self.worker.process(task))
