"""Test kit for cleaner authors (needs the ``test`` extra: pytest and hypothesis).

``check_cleaner(cleaner)`` runs the properties every newsclean cleaner must
have, with hypothesis, and raises ``AssertionError`` describing the smallest
failing input:

- it never raises on any ``str`` (lone surrogates and control characters included);
- it returns a ``str`` and is idempotent: ``c(c(x)) == c(x)``;
- it leaves already-clean news prose unchanged;
- it survives pickling (pipelines are sent to worker processes).

Use it in a plugin's tests::

    from newsclean.testing import check_cleaner

    def test_conforms():
        check_cleaner(DatelineCleaner())

The strategies it uses are in :mod:`newsclean.testing.strategies`.
"""

from __future__ import annotations

from .conformance import (
    check_cleaner,
    check_idempotent,
    check_keeps_clean_prose,
    check_never_raises,
    check_picklable,
)

__all__ = [
    "check_cleaner",
    "check_idempotent",
    "check_keeps_clean_prose",
    "check_never_raises",
    "check_picklable",
]
