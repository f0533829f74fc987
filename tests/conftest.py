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
