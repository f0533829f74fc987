"""The conformance kit (newsclean.testing) rejects broken cleaners and rule packs, saying which property
failed and on what input, and passes good ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from newsclean import Cleaner
from newsclean.rules import RulePack, read_rule_pack
from newsclean.testing import (
    ConformanceError,
    check_cleaner,
    check_examples,
    check_idempotent,
    check_no_shared_state,
    check_rule_pack,
)
from newsclean.testing.strategies import cleaner_inputs
from plugin_fixtures import HOSTILE, Exclaim, Strip
from plugin_fixtures.broken_cleaners import (
    BROKEN,
    OneDatelinePerPass,
    RemembersFirstDocument,
    Shrinks,
)


@pytest.mark.parametrize("cls", list(BROKEN), ids=lambda c: c.__name__)
def test_each_broken_cleaner_is_rejected_naming_the_property_and_the_input(cls: type[Cleaner]) -> None:
    with pytest.raises(ConformanceError) as caught:
        check_cleaner(cls(), max_examples=100)
    error = caught.value
    assert error.prop == BROKEN[cls]
    message = str(error)
    assert message.startswith(f"cleaner {cls.name!r}: {BROKEN[cls]}: ")
    if error.input is not None:  # every property but "cannot be pickled" is shown on an input
        assert f"input:  {error.input!r}"[:60] in message
    else:
        assert "cannot be pickled" in message


def test_a_cleaner_that_shrinks_repeats_is_caught_without_examples() -> None:
    with pytest.raises(ConformanceError, match="idempotent: cleaning its own output changed it again") as caught:
        check_idempotent(Shrinks(), max_examples=20)
    assert set(caught.value.input) == {"a"} and len(caught.value.input) >= 3


def test_the_datelines_bug_is_caught_from_the_examples() -> None:
    # The datelines plugin removed one of two repeated datelines per pass; the kit builds
    # "dateline + dateline + rest" from the cleaner's own example and finds it.
    with pytest.raises(ConformanceError) as caught:
        check_idempotent(OneDatelinePerPass(), max_examples=10)
    assert caught.value.input == "WASHINGTON (AP) — WASHINGTON (AP) — The Senate voted."
    assert "once:   'WASHINGTON (AP) — The Senate voted.'" in str(caught.value)


def test_state_kept_between_documents_is_caught() -> None:
    with pytest.raises(ConformanceError, match="keeps no state between documents: the same input gave different"):
        check_no_shared_state(RemembersFirstDocument(), max_examples=20)


def test_examples_are_checked() -> None:
    check_examples(Strip(), [("  a  ", "a")])
    with pytest.raises(ConformanceError, match=r"examples: expected 'A'\n  got:    'a'\n  input:  ' a '"):
        check_examples(Strip(), [(" a ", "A")])
    # a cleaner's own examples describe its default options: checked only with those
    assert OneDatelinePerPass.examples
    check_examples(OneDatelinePerPass())


@pytest.mark.parametrize("cleaner", [Strip(), Exclaim(), Strip(chars="~ ")], ids=repr)
def test_good_cleaners_pass(cleaner: Cleaner) -> None:
    check_cleaner(cleaner, max_examples=50)


@settings(max_examples=50)
@given(text=cleaner_inputs(OneDatelinePerPass(), ["LONDON (Reuters) - Markets fell."]))
def test_cleaner_inputs_are_strings(text: str) -> None:
    assert isinstance(text, str)


# -- rule packs ------------------------------------------------------------------------------------


def pack_file(tmp_path, body: str):
    path = tmp_path / "mine.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD_PACK = """
description = "Furniture of the Daily Example"
[[rule]]
pattern = "daily example (?:newsroom|staff)"
category = "credit"
examples = ["Daily Example newsroom", "  daily   EXAMPLE staff "]
counterexamples = ["The Daily Example newsroom moved to a new building on Monday."]
"""


def test_a_good_rule_pack_passes(tmp_path) -> None:
    check_rule_pack(pack_file(tmp_path, GOOD_PACK), max_examples=30)
    pack = read_rule_pack(pack_file(tmp_path, GOOD_PACK))
    assert isinstance(pack, RulePack) and pack.description == "Furniture of the Daily Example"
    check_rule_pack(pack, max_examples=10)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[rule]]\npattern = "sponsored by acme"\ncategory = "ad"\n',
         r"examples: rule #1 \('sponsored by acme'\) has no examples"),
        ('[[rule]]\npattern = "sponsored by acme"\ncategory = "ad"\nexamples = ["Sponsored by Acme Corp"]\n',
         r"examples: rule #1 \('sponsored by acme'\) does not match its example\n  input:  'Sponsored by Acme Corp'"),
        ('[[rule]]\npattern = "acme.{0,40}"\ncategory = "ad"\nexamples = ["Acme"]\ncounterexamples = ["Acme rose"]\n',
         r"matches its counterexample\n  input:  'Acme rose'"),
        ('[[rule]]\npattern = ".{0,80}(?:said|stated).{0,200}"\ncategory = "ad"\nexamples = ["He said so"]\n',
         r"keeps clean prose: rule #1 .* matches a line of prose"),
    ],
    ids=["no examples", "example not matched", "counterexample matched", "matches prose"],
)
def test_a_bad_rule_pack_is_rejected(tmp_path, body: str, message: str) -> None:
    with pytest.raises(ConformanceError, match=message):
        check_rule_pack(pack_file(tmp_path, body), max_examples=30)


def test_a_catastrophic_rule_pack_does_not_even_load() -> None:
    with pytest.raises(ValueError, match=r"rule #2: boilerplate rule '\(a\|a\)\+\(\?:b\|!!\)' may take exponential"):
        check_rule_pack(HOSTILE / "catastrophic.toml")
