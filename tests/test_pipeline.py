"""Pipeline: resolution by name, order, enable/disable, options, explain, errors, pickling, threads."""

from __future__ import annotations

import pickle
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsclean import Cleaner, CleanerError, ConfigError, Option, OptionError, Pipeline, UnknownCleanerError
from newsclean.plugins import load_registry
from newsclean.testing.strategies import any_text, dirty_news_text
from plugin_fixtures import Boom, Exclaim, GoodPlugin, Shout, Strip


@pytest.fixture(scope="module")
def reg():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return load_registry([("good", GoodPlugin())], entry_points=False)


def test_names_resolve_in_the_given_order(reg) -> None:
    p = Pipeline(["exclaim", "strip"], registry=reg)
    assert p.names == ("exclaim", "strip")
    assert Pipeline(["strip", "exclaim"], registry=reg).names == ("strip", "exclaim")


def test_order_changes_results(reg) -> None:
    text = " wow! "
    assert Pipeline(["strip", "shout"], registry=reg).clean(text) == "WOW!"
    assert Pipeline(["shout", "strip"], registry=reg, options={"strip": {"chars": " !"}}).clean(text) == "WOW"


def test_default_pipeline_follows_documented_order_and_defaults(reg) -> None:
    p = Pipeline.default(registry=reg)
    # whitespace (900) is the built-in; strip 150 < exclaim 600 < whitespace 900; shout and boom are off.
    assert p.names.index("strip") < p.names.index("exclaim") < p.names.index("whitespace")
    assert p.names == tuple(reg.default_names())
    orders = [type(c).order for c in p]
    assert orders == sorted(orders)
    assert "shout" not in p.names and "boom" not in p.names


def test_enable_inserts_at_default_place_and_disable_removes(reg) -> None:
    p = Pipeline.default(enable=["shout"], disable=["exclaim"], registry=reg)
    assert "exclaim" not in p.names
    assert p.names.index("strip") < p.names.index("shout") < p.names.index("whitespace")
    q = Pipeline.default(registry=reg).enable("shout", registry=reg).disable("exclaim", registry=reg)
    assert q == p
    assert q.enable("shout", registry=reg) == q  # already there: no-op
    assert Pipeline.default(registry=reg).enable("strip", registry=reg) == Pipeline.default(registry=reg)


def test_enable_with_options_and_configure(reg) -> None:
    p = Pipeline(["exclaim"], registry=reg).enable("strip", chars="x", registry=reg)
    assert p.names == ("strip", "exclaim")
    assert p.clean("xhi!x") == "hi."
    q = p.configure("strip", chars="y", registry=reg)
    assert q.clean("yhi!y") == "hi." and p.clean("yhi!y") == "yhi.y"  # p itself is unchanged
    with pytest.raises(ConfigError, match="not in this pipeline"):
        p.configure("shout", registry=reg)


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda reg: Pipeline(["shuot"], registry=reg), UnknownCleanerError, "did you mean 'shout'"),
        (lambda reg: Pipeline.default(disable=["strp"], registry=reg), UnknownCleanerError, "available cleaners: "),
        (lambda reg: Pipeline(["strip", "strip"], registry=reg), ConfigError, "appears twice"),
        (lambda reg: Pipeline(["strip"], options={"strip": {"char": "x"}}, registry=reg), OptionError, "'chars'"),
        (lambda reg: Pipeline([], options={"shout": {"x": 1}}, registry=reg), OptionError, "no options"),
        (lambda reg: Pipeline([], options={"nope": {}}, registry=reg), UnknownCleanerError, "unknown cleaner"),
        (lambda reg: Pipeline.default(enable=["shout"], disable=["shout"], registry=reg), ConfigError, "both"),
    ],
)
def test_bad_configuration_is_a_value_error_listing_choices(reg, build, error, message) -> None:
    with pytest.raises(error, match=message) as info:
        build(reg)
    assert isinstance(info.value, ValueError)


def test_single_string_is_rejected_with_a_hint() -> None:
    with pytest.raises(TypeError, match="list of cleaner names"):
        Pipeline("whitespace")  # type: ignore[arg-type]


def test_instances_can_be_mixed_with_names(reg) -> None:
    p = Pipeline([Strip(chars="-"), "shout"], registry=reg)
    assert p.clean("-a-") == "A"


@given(text=any_text())
def test_empty_pipeline_is_the_identity(text: str) -> None:
    assert Pipeline([]).clean(text) is text


def test_clean_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="expects str, got bytes"):
        Pipeline([]).clean(b"x")  # type: ignore[arg-type]


def test_cleaner_failure_names_the_cleaner(reg) -> None:
    p = Pipeline(["strip", "boom"], registry=reg)
    with pytest.raises(CleanerError, match="cleaner 'boom' failed: RuntimeError: exploded on purpose") as info:
        p.clean("a boom here")
    assert info.value.cleaner == "boom"
    assert isinstance(info.value.__cause__, RuntimeError)
    with pytest.raises(CleanerError):
        p.explain("boom")


def test_clean_many_is_lazy_and_ordered(reg) -> None:
    p = Pipeline(["shout"], registry=reg)
    seen = []

    def source():
        for t in ["a", "b", "c"]:
            seen.append(t)
            yield t

    it = p.clean_many(source())
    assert next(it) == "A" and seen == ["a"]
    assert list(it) == ["B", "C"]


@given(text=dirty_news_text())
def test_explain_returns_exactly_what_clean_returns(text: str) -> None:
    p = Pipeline.default()
    assert p.explain(text).text == p.clean(text)


def test_explain_reports_per_cleaner_changes(reg) -> None:
    p = Pipeline(["strip", "exclaim", "shout"], registry=reg)
    ex = p.explain(" hi!! there ")
    assert ex.text == "HI. THERE" and ex.changed
    assert [r.name for r in ex.reports] == ["strip", "exclaim", "shout"]
    strip, exclaim, shout = ex.reports
    assert (strip.edits, strip.chars_removed, strip.chars_added) == (2, 2, 0)
    # "!!" -> ".": net numbers, the same a normal run's summary gives
    assert (exclaim.edits, exclaim.chars_removed, exclaim.chars_added, exclaim.net) == (1, 1, 0, 1)
    assert exclaim.categories == {"exclaim": 1}
    assert shout.changed and ex.report("shout") is shout
    assert (shout.edits, shout.chars_removed, shout.chars_added) == (shout.edits, 0, 0) and shout.edits > 0
    assert ex.as_dict()["cleaners"][1] == {
        "cleaner": "exclaim", "changed": True, "edits": 1, "chars_removed": 1, "chars_added": 0,
        "categories": {"exclaim": 1},
    }
    assert "exclaim: 1 edit(s), -1/+0 chars" in ex.summary()
    unchanged = p.explain("CALM.")
    assert not unchanged.changed and unchanged.summary() == "no changes"
    with pytest.raises(KeyError):
        ex.report("whitespace")


def test_pipeline_pickles_by_value_and_behaves_the_same(reg) -> None:
    p = Pipeline(["strip", "exclaim"], options={"strip": {"chars": "#"}}, registry=reg)
    copy = pickle.loads(pickle.dumps(p))
    assert copy == p and copy.names == p.names
    assert copy.clean("#wow!#") == p.clean("#wow!#") == "wow."


def test_pipeline_is_safe_to_share_between_threads() -> None:
    p = Pipeline.default()
    texts = [f"  Story {i}  said\u00a0  that\n\n\n\nit  rained. " * (i % 7 + 1) for i in range(400)]
    expected = [p.clean(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(p.clean, texts)) == expected


def test_pipeline_is_immutable_value(reg) -> None:
    p = Pipeline(["strip"], registry=reg)
    p.enable("shout", registry=reg)
    p.disable("strip", registry=reg)
    assert p.names == ("strip",)
    assert len(p) == 1 and [c.name for c in p] == ["strip"] and isinstance(p.cleaners[0], Strip)
    assert "Pipeline([<cleaner strip>])" == repr(p)
    assert hash(p) == hash(Pipeline(["strip"], registry=reg))
    assert Shout.name == "shout" and Exclaim.order == 600 and Boom.default_enabled is False


@given(data=st.data())
def test_enable_and_disable_behave_as_documented(reg, data) -> None:
    everything = [info.name for info in reg.in_order()]
    disable = data.draw(st.lists(st.sampled_from(everything), unique=True))
    rest = [n for n in everything if n not in disable]
    enable = data.draw(st.lists(st.sampled_from(rest), unique=True)) if rest else []
    p = Pipeline.default(enable=enable, disable=disable, registry=reg)
    expected = [n for n in everything if (n in reg.default_names() or n in enable) and n not in disable]
    assert list(p.names) == expected
    # The fluent methods give the same pipeline as the keyword arguments.
    q = Pipeline.default(registry=reg).enable(*enable, registry=reg).disable(*disable, registry=reg)
    assert q == p


def test_recheck_cleaners_make_the_pipeline_idempotent() -> None:
    from plugin_fixtures import DropPairs, DropX

    p = Pipeline([DropPairs(), DropX()])
    # One pass: "aaxbb" -> (no 'ab') -> "aabb"; the recheck of droppairs finds "ab" twice over.
    assert p.clean("aaxbb") == ""
    assert p.clean(p.clean("caxbd")) == p.clean("caxbd") == "cd"
    ex = p.explain("caxbd")
    assert ex.text == "cd"
    assert ex.report("droppairs").edits == 1 and ex.report("dropx").edits == 1
    # Without the flag the same pair of cleaners is not idempotent.
    class Plain(DropPairs):
        recheck = False

    q = Pipeline([Plain(), DropX()])
    assert q.clean("caxbd") == "cabd" != q.clean(q.clean("caxbd"))


def test_recheck_rounds_are_bounded() -> None:
    from plugin_fixtures import DropPairs, DropX

    nested = "a" * 10 + "x" + "b" * 10
    p = Pipeline([DropPairs(), DropX()])
    # Each round removes one more nesting level, and only MAX_RECHECK_ROUNDS rounds run.
    assert p.clean(nested) == "a" * (10 - Pipeline.MAX_RECHECK_ROUNDS) + "b" * (10 - Pipeline.MAX_RECHECK_ROUNDS)


def test_observe_reports_every_change_including_recheck_rounds() -> None:
    from plugin_fixtures import DropPairs, DropX

    p = Pipeline([DropPairs(), DropX()])
    seen: list[tuple[int, str, str]] = []
    assert p.clean("caxbd", observe=lambda i, before, after: seen.append((i, before, after))) == "cd"
    assert seen == [(1, "caxbd", "cabd"), (0, "cabd", "cd")]
    quiet: list[object] = []
    assert p.clean("cd", observe=lambda *args: quiet.append(args)) == "cd" and quiet == []


def test_options_enable_a_cleaner_in_the_default_pipeline_and_never_go_unused(reg) -> None:
    # One behaviour for Python and the CLI (--set): options for a cleaner that is off switch it on,
    # as newsclean.clean(text, name={...}) does.
    assert "shout" not in Pipeline.default(registry=reg).names
    assert "shout" in Pipeline.default(options={"shout": {}}, registry=reg).names
    with pytest.raises(ConfigError, match="cleaner 'strip' is both given options and disabled"):
        Pipeline.default(disable=["strip"], options={"strip": {"chars": "x"}}, registry=reg)
    # an explicit list runs exactly those cleaners: options for another one are an error, not ignored
    with pytest.raises(ConfigError, match=r"options were given for cleaner 'shout', which is not in this pipeline"):
        Pipeline(["strip"], options={"shout": {}}, registry=reg)


class _Returns(Cleaner):
    """Returns a fixed non-str value for text containing 'bad' (a broken plugin cleaner)."""

    name = "returns"
    description = "Returns a wrong type."
    order = 150
    options = {"kind": Option("list", "what to return", choices=("list", "bytes", "none"))}

    def clean(self, text: str) -> str:
        if "bad" not in text:
            return text
        return {"list": [text], "bytes": text.encode(), "none": None}[self.kind]  # type: ignore[return-value]


@pytest.mark.parametrize("kind", ["list", "bytes", "none"])
def test_a_cleaner_returning_non_str_is_an_error_naming_it(kind: str) -> None:
    p = Pipeline([_Returns(kind=kind), Exclaim()])
    shown = {"list": "list", "bytes": "bytes", "none": "NoneType"}[kind]
    calls = {
        "clean": lambda: p.clean("a bad day!"),
        "clean_many": lambda: list(p.clean_many(["fine!", "a bad day!"])),
        "observe": lambda: p.clean("a bad day!", observe=lambda *args: None),
        "explain": lambda: p.explain("a bad day!"),
    }
    for how, call in calls.items():
        with pytest.raises(CleanerError) as info:
            call()
        assert info.value.cleaner == "returns", how
        assert f"clean() returned {shown}, not str" in str(info.value), how
        assert isinstance(info.value.__cause__, TypeError)
    assert p.clean("fine!") == "fine."  # the same object passes: only non-str results are errors


def test_a_non_str_result_in_a_recheck_round_names_the_cleaner() -> None:
    from plugin_fixtures import DropX

    class Late(_Returns):
        recheck = True

    # The first pass sees "baxd" (no "bad"); DropX exposes "bad" for the recheck round.
    p = Pipeline([Late(kind="none"), DropX()])
    with pytest.raises(CleanerError) as info:
        p.clean("baxd")
    assert info.value.cleaner == "returns"


def test_options_a_cleaner_does_not_declare_are_option_errors_even_with_a_custom_build() -> None:
    # boilerplate's build() takes rules= itself: an option of that name was a TypeError traceback.
    with pytest.raises(OptionError, match="unknown option 'rules' for cleaner 'boilerplate'"):
        Pipeline.default(options={"boilerplate": {"rules": "x"}})

    class Fragile(Cleaner):
        name = "fragile"
        description = "Fails to build on some option values."
        options = {"n": Option(1, "a number")}

        def setup(self) -> None:
            if self.n > 9:
                raise IndexError("n too big for the table")

        def clean(self, text: str) -> str:
            return text

    from newsclean.registry import Registry

    reg = Registry()
    reg.add_cleaner(Fragile, "test")
    with pytest.raises(ConfigError, match=r"cleaner 'fragile' cannot be built with options \{'n': 10\}: IndexError"):
        Pipeline(["fragile"], options={"fragile": {"n": 10}}, registry=reg)
