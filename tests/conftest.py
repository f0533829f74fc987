"""Shared test configuration.

Hypothesis runs with no deadline (CI machines are slow and shared) and a
fixed profile; set HYPOTHESIS_PROFILE=thorough for a longer local run (10,000
examples for every property without an explicit count; properties that scale
with the profile use ``max(N, settings.default.max_examples)``).
"""

from __future__ import annotations

import os
import warnings

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "thorough", deadline=None, max_examples=10_000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def fresh_registry():
    """Reset the process-wide plugin registry before and after a test that changes it."""
    from newsclean.plugins import reset_registry

    reset_registry()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
    reset_registry()


# -- engines: one local Dask cluster and one local Ray runtime for the whole session -----------

_ENGINE_MODULES = ("test_executors.py", "test_integrations.py", "test_spark.py")


def pytest_collection_modifyitems(session, config, items):
    """Tests that start engines run last: Dask, Ray and Spark leave threads in this process, and the
    process pool forks its workers only while the process has a single thread."""
    items.sort(key=lambda item: item.path.name in _ENGINE_MODULES)


@pytest.fixture(scope="session")
def dask_scheduler():
    """The address of a LocalCluster of 2 single-thread worker processes, for the whole session."""
    distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install 'newsclean[dask]')")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.fixture(scope="session")
def ray_address():
    """A local Ray runtime with 2 CPUs in this process, for the whole session; its address for other processes."""
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'newsclean[ray]')")
    from newsclean.run.executors.ray import start_local_runtime

    start_local_runtime(2)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
