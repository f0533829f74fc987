"""Test kit for plugin authors (needs the ``test`` extra: pytest and hypothesis).

``check_cleaner(cleaner)`` runs the properties every newsclean cleaner must
have, with hypothesis, and raises :class:`ConformanceError` (an
``AssertionError``) naming the property that failed and the smallest input
that shows it:

- it survives pickling (pipelines are sent to worker processes);
- its ``examples`` come out as expected;
- it never raises and always returns a ``str``, on any ``str``;
- it is idempotent: ``c(c(x)) == c(x)``;
- it leaves already-clean news prose unchanged;
- it keeps no state between documents.

The inputs come from :func:`~newsclean.testing.strategies.cleaner_inputs`:
generic and dirty text, and texts built from the cleaner's own examples and
output (repeated, combined, fed back), which is what finds real bugs.

``check_rule_pack(pack)`` checks a boilerplate rule pack the same way.

Use it in a plugin's tests::

    from newsclean.testing import check_cleaner

    def test_conforms():
        check_cleaner(DatelineCleaner())

The strategies it uses are in :mod:`newsclean.testing.strategies`.
"""

from __future__ import annotations

from .conformance import (
    ConformanceError,
    check_cleaner,
    check_examples,
    check_idempotent,
    check_keeps_clean_prose,
    check_never_raises,
    check_no_shared_state,
    check_picklable,
    check_rule_pack,
)

__all__ = [
    "ConformanceError",
    "check_cleaner",
    "check_examples",
    "check_idempotent",
    "check_keeps_clean_prose",
    "check_never_raises",
    "check_no_shared_state",
    "check_picklable",
    "check_rule_pack",
]
