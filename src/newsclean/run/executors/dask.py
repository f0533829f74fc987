"""The ``dask`` executor: tasks on a Dask ``distributed`` cluster.

With a ``scheduler`` address it connects to that cluster; without one it starts a
``LocalCluster`` of ``jobs`` worker processes (one thread each, on 127.0.0.1) and stops it at
the end.  The pipeline is pickled once and reaches every worker, including workers that join
or are restarted later, through a worker plugin, which builds the worker's
:class:`~newsclean.run.worker.Worker` once.  A worker that dies in the middle of a task is the
scheduler's business: it runs the task again elsewhere (up to ``distributed.scheduler.allowed-
failures`` times), and the writer takes each task's result exactly once, in order.

Byte-range tasks are read by the workers from the path the planner saw, so on a real cluster
the inputs must be on a filesystem every worker mounts at the same path; outputs are written
by the calling process.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import uuid
from typing import Any

from ...pipeline import Pipeline
from .. import worker as _worker
from ..tasks import Result, Settings, Task
from . import Executor, ExecutorError
from ._connect import CONNECT_TIMEOUT, check_reachable

try:
    from distributed import Client, LocalCluster
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "the dask executor needs Dask's distributed scheduler: pip install 'newsclean[dask]'"
    ) from exc

__all__ = ["DaskExecutor"]


class _BuildWorker(WorkerPlugin):
    """Builds the run's worker in each Dask worker process (also in workers started later)."""

    def __init__(self, key: str, job: bytes) -> None:
        self.key = key
        self.job = job

    def setup(self, worker: Any) -> None:
        _worker.worker_for(self.key, self.job)


def _run_task(key: str, task: Task) -> Result:
    return _worker.worker_for(key).process(task)


class _DaskHandle:
    __slots__ = ("_future",)

    def __init__(self, future: Any) -> None:
        self._future = future

    def done(self) -> bool:
        return bool(self._future.done())

    def result(self) -> Result:
        return self._future.result()

    def release(self) -> None:
        if self._future is not None:
            self._future.release()
            self._future = None


class DaskExecutor(Executor):
    name = "dask"

    def __init__(self, jobs: int, *, address: str | None = None) -> None:
        super().__init__(jobs)
        self.address = address
        self.cluster: Any = None
        self.client: Any = None
        self.key = f"newsclean-{uuid.uuid4().hex}"

    def start(self, pipeline: Pipeline, settings: Settings) -> None:
        if self.address is not None:
            check_reachable(self.address, "Dask scheduler", 8786)
            try:
                self.client = Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        else:
            self.cluster = LocalCluster(
                n_workers=self.jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster, set_as_default=False)
        self.client.register_plugin(_BuildWorker(self.key, pickle.dumps((pipeline, settings))), name=self.key)
        self.jobs = max(1, sum(self.client.nthreads().values()))

    def submit(self, task: Task) -> _DaskHandle:
        return _DaskHandle(self.client.submit(_run_task, self.key, task, pure=False))

    def shutdown(self, cancel: bool) -> None:
        if self.client is not None:
            try:
                if self.cluster is None:  # a shared cluster: leave no trace of this run on it
                    with contextlib.suppress(Exception):
                        self.client.unregister_worker_plugin(self.key)
            finally:
                self.client.close()
                self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

