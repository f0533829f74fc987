"""The ``ray`` executor: tasks on a Ray cluster.

With an ``address`` it connects to that cluster; without one it uses the Ray runtime this
process already started (``ray.init()`` in a user's program) or starts a local one with
``jobs`` CPUs on 127.0.0.1, and stops what it started at the end.  The pipeline is pickled
once and put in Ray's object store; each worker process unpickles it on its first task and
keeps its :class:`~newsclean.run.worker.Worker`.  A task whose worker dies is retried by Ray
(``max_retries``), and the writer takes each task's result exactly once, in order.

Byte-range tasks are read by the workers from the path the planner saw, so on a real cluster
the inputs must be on a filesystem every node mounts at the same path; outputs are written by
the calling process.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import pickle
import sys
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ...pipeline import Pipeline
from .. import worker as _worker
from ..tasks import Result, Settings, Task
from . import Executor, ExecutorError
from ._connect import check_reachable

try:
    import ray
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("the ray executor needs Ray: pip install 'newsclean[ray]'") from exc

__all__ = ["MAX_RETRIES", "RayExecutor", "loopback", "start_local_runtime"]

#: how often Ray runs a task again after its worker process died
MAX_RETRIES = 3


def _run_task(key: str, job: bytes, task: Task) -> Result:
    return _worker.worker_for(key, job).process(task)


_remote_run_task = ray.remote(num_cpus=1, max_retries=MAX_RETRIES)(_run_task)


class _RayHandle:
    __slots__ = ("_ref",)

    def __init__(self, ref: Any) -> None:
        self._ref = ref

    def done(self) -> bool:
        ready, _ = ray.wait([self._ref], timeout=0, fetch_local=False)
        return bool(ready)

    def result(self) -> Result:
        return ray.get(self._ref)

    def release(self) -> None:
        self._ref = None


@contextlib.contextmanager
def loopback() -> Iterator[None]:
    """While starting or joining a runtime on this machine: keep Ray on the loopback address.

    Ray replaces 127.0.0.1 by the machine's network address unless it believes it runs on a laptop
    (``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0``); that setting is switched off for the duration, for
    this process and the processes it starts, and restored afterwards.
    """
    from ray._private import ray_constants

    saved = ray_constants.ENABLE_RAY_CLUSTER, os.environ.get(_CLUSTER_VARIABLE)
    ray_constants.ENABLE_RAY_CLUSTER = False
    os.environ[_CLUSTER_VARIABLE] = "0"
    try:
        yield
    finally:
        ray_constants.ENABLE_RAY_CLUSTER = saved[0]
        if saved[1] is None:
            os.environ.pop(_CLUSTER_VARIABLE, None)
        else:
            os.environ[_CLUSTER_VARIABLE] = saved[1]


_CLUSTER_VARIABLE = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


def start_local_runtime(cpus: int) -> None:
    """``ray.init`` a private local runtime: ``cpus`` CPUs, on 127.0.0.1, quiet, and workers that see
    the modules this process sees (its ``sys.path``)."""
    paths = [p for p in sys.path if p]
    with loopback():
        ray.init(
            num_cpus=cpus, _node_ip_address="127.0.0.1", include_dashboard=False, log_to_driver=False,
            logging_level=logging.ERROR, runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(paths)}},
        )


def _is_loopback(address: str) -> bool:
    host = urlsplit(address if "://" in address else f"tcp://{address}").hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class RayExecutor(Executor):
    name = "ray"

    def __init__(self, jobs: int, *, address: str | None = None) -> None:
        super().__init__(jobs)
        self.address = address
        self.started = False
        self.key = f"newsclean-{uuid.uuid4().hex}"
        self.job: Any = None

    def start(self, pipeline: Pipeline, settings: Settings) -> None:
        if self.address is not None:
            if ray.is_initialized():
                raise ExecutorError("Ray is already running in this process; call without an address to use it")
            check_reachable(self.address, "Ray cluster", 6379)
            try:
                with loopback() if _is_loopback(self.address) else contextlib.nullcontext():
                    ray.init(address=self.address, logging_level=logging.ERROR, log_to_driver=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ExecutorError(f"cannot reach the Ray cluster at {self.address}: {exc}") from None
            self.started = True
        elif not ray.is_initialized():
            start_local_runtime(self.jobs)
            self.started = True
        self.jobs = max(1, int(ray.cluster_resources().get("CPU", self.jobs)))
        self.job = ray.put(pickle.dumps((pipeline, settings)))

    def submit(self, task: Task) -> _RayHandle:
        return _RayHandle(_remote_run_task.remote(self.key, self.job, task))

    def shutdown(self, cancel: bool) -> None:
        self.job = None
        if self.started:
            ray.shutdown()
            self.started = False
