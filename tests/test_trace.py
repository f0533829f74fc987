"""Tracing: Pipeline.trace, Edit records, offset maps, the change composer and the diff fallback."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import newsclean
from newsclean import Change, Cleaner, Pipeline, Trace
from newsclean.changes import Composer, apply_changes, check_changes, compose_passes
from newsclean.testing.strategies import any_text, dirty_news_text
from newsclean.tracing import apply_edits

DEFAULT = Pipeline.default()
TEXTS = any_text() | dirty_news_text()


def check_trace(trace: Trace) -> None:
    """Every invariant a trace promises."""
    original, text, edits = trace.original, trace.text, trace.edits
    assert apply_edits(original, edits) == text
    o_pos = c_pos = 0
    for edit in edits:
        (os_, oe), (cs, ce) = edit.original, edit.cleaned
        assert o_pos <= os_ <= oe and c_pos <= cs <= ce, "edits overlap or are out of order"
        assert original[os_:oe] == edit.removed and text[cs:ce] == edit.inserted
        assert edit.removed != edit.inserted, "empty edit"
        # the text between edits is the same in both
        assert original[o_pos:os_] == text[c_pos:cs]
        assert edit.steps and edit.cleaner in edit.cleaners
        o_pos, c_pos = oe, ce
    assert original[o_pos:] == text[c_pos:]
    # offset maps: monotonic; the end maps to the end (the start maps past text deleted there)
    forward = trace.to_cleaned_many(range(len(original) + 1))
    backward = trace.to_original_many(range(len(text) + 1))
    assert forward == sorted(forward) and backward == sorted(backward)
    assert forward[-1] == len(text) and backward[-1] == len(original)
    produced = {j for e in edits for j in range(*e.cleaned)}
    touched = {i for e in edits for i in range(*e.original)}
    for j in range(len(text)):
        span = trace.to_original_span((j, j + 1))
        if j in produced:  # a character an edit produced maps to that edit's original span
            edit = trace.edit_at_cleaned(j)
            assert edit is not None and span == edit.original
        else:  # an untouched character maps to the same character, and back
            i = span[0]
            assert span == (i, i + 1) and original[i] == text[j] and i not in touched
            assert trace.to_cleaned_span(span) == (j, j + 1)
            assert trace.to_original(j) == i and trace.to_cleaned(i) == j
            assert trace.edit_at_cleaned(j) is None and trace.edit_at_original(i) is None
    for i in touched:
        edit = trace.edit_at_original(i)
        assert edit is not None and trace.to_cleaned_span((i, i + 1)) == edit.cleaned
    spans = [(a, b) for a in range(0, len(text) + 1, 3) for b in (a, min(len(text), a + 5))]
    mapped = trace.to_original_spans(spans)
    assert all(0 <= a <= b <= len(original) for a, b in mapped)
    assert mapped == [trace.to_original_span(span) for span in spans]


# -- the default pipeline ------------------------------------------------------------------------


@settings(max_examples=300)
@given(text=TEXTS)
@example(text="\u00f0\x98\x83\tSen. ")  # mojibake exposed by whitespace: a recheck round
@example(text="&#8220;Hi&#8221;&nbsp; there  \r\n\r\n\r\n<br>Advertisement\n")
def test_trace_of_the_default_pipeline_keeps_every_promise(text: str) -> None:
    trace = DEFAULT.trace(text)
    assert trace.text == DEFAULT.clean(text)
    check_trace(trace)
    assert trace.changed == (text != trace.text) == bool(trace.edits)


@settings(max_examples=100)
@given(text=TEXTS)
def test_module_level_trace_uses_the_same_options_as_clean(text: str) -> None:
    assert newsclean.trace(text, quotes=False).text == newsclean.clean(text, quotes=False)
    assert all("quotes" not in e.cleaners for e in newsclean.trace(text, quotes=False).edits)


def test_a_small_whitespace_fix_is_a_small_edit() -> None:
    paragraph = "The council met on Monday and voted on the budget after a long debate. " * 20
    raw = paragraph + "It    passed.\n\n" + paragraph.strip()
    trace = DEFAULT.trace(raw)
    assert [(e.cleaner, e.category, e.removed, e.inserted) for e in trace.edits] == [
        ("whitespace", "spaces", "   ", "")
    ]
    start = raw.index("It ") + 3
    assert trace.edits[0].original == (start, start + 3)


def test_edits_of_several_cleaners_on_one_stretch_become_one_edit() -> None:
    trace = DEFAULT.trace("He said &#8220;no&#8221; twice.")
    assert trace.text == 'He said "no" twice.'
    first = trace.edits[0]
    assert (first.removed, first.inserted, first.original, first.cleaned) == ("&#8220;", '"', (8, 15), (8, 9))
    assert first.cleaners == ("html", "quotes") and first.cleaner == "html" and first.category == "entity"
    assert [s.category for s in first.steps] == ["entity", "quote"]
    assert first.as_dict()["steps"][1]["cleaner"] == "quotes"


def test_boilerplate_line_keeps_its_category_when_an_earlier_cleaner_touched_it() -> None:
    raw = "Officials said the plan would pass.\nAdvertisement\u00a0\nThe vote is on Friday."
    trace = DEFAULT.trace(raw)
    (edit,) = trace.edits
    assert edit.removed == "Advertisement\u00a0\n" and edit.inserted == ""
    assert edit.cleaner == "boilerplate" and edit.cleaners == ("unicode", "boilerplate")


def test_offset_example_from_the_documentation() -> None:
    trace = Pipeline(["whitespace"]).trace("a  b")
    assert trace.text == "a b"
    assert trace.to_original(2) == 3
    assert trace.to_original_span((1, 2)) == (1, 2)
    assert trace.to_cleaned_span((0, 4)) == (0, 3)
    # the deleted space: its own span maps to an empty span where it was
    assert trace.to_cleaned_span((2, 3)) == (2, 2)
    # an empty span maps by the start rule at both ends
    assert trace.to_original_span((2, 2)) == (3, 3)


def test_spans_snap_away_from_deleted_text_at_their_edges() -> None:
    trace = Pipeline(["boilerplate"]).trace("Intro line here.\nAdvertisement\nBody text follows.")
    assert trace.text == "Intro line here.\nBody text follows."
    cut = len("Intro line here.\n")
    (edit,) = trace.edits
    assert edit.original == (cut, cut + len("Advertisement\n")) and edit.cleaned == (cut, cut)
    # a span ending at the cut ends before the deleted line, one starting there starts after it
    assert trace.to_original_span((0, cut)) == (0, cut)
    assert trace.to_original_span((cut, cut + 4)) == (edit.original[1], edit.original[1] + 4)
    # a span across the cut includes the deleted line
    assert trace.to_original_span((cut - 1, cut + 1)) == (cut - 1, edit.original[1] + 1)


def test_inserted_text_maps_to_the_replaced_span() -> None:
    trace = Pipeline(["html"]).trace("a<br>b &amp; c")
    assert trace.text == "a\nb & c"
    assert trace.to_original_span((1, 2)) == (1, 5)  # "\n" came from "<br>"
    assert trace.to_original_span((4, 5)) == (7, 12)  # "&" came from "&amp;"
    assert trace.to_cleaned_span((2, 4)) == (1, 2)  # part of "<br>" maps to what replaced it
    assert trace.to_original_many([0, 1, 2, 7]) == [0, 1, 5, 14]
    assert trace.to_cleaned_spans([(7, 12), (0, 1)]) == [(4, 5), (0, 1)]


def test_offsets_outside_the_text_are_errors() -> None:
    trace = DEFAULT.trace("a  b")
    with pytest.raises(ValueError, match="outside the text"):
        trace.to_original(4)
    with pytest.raises(ValueError, match="outside the text"):
        trace.to_cleaned(-1)
    with pytest.raises(ValueError, match="ends before it starts"):
        trace.to_original_span((2, 1))
    with pytest.raises(TypeError):
        trace.to_original(True)
    with pytest.raises(TypeError):
        trace.to_original(1.5)
    with pytest.raises(ValueError):
        trace.edit_at_cleaned(3)


def test_trace_reports_are_the_explain_reports() -> None:
    raw = "  The mayor&#8217;s  office\u00a0said\r\n\r\n\r\nno.  "
    trace = DEFAULT.trace(raw)
    explanation = DEFAULT.explain(raw)
    assert explanation.text == trace.text and explanation.reports == trace.reports
    assert trace.report("whitespace").edits == explanation.report("whitespace").edits > 0
    assert trace.summary() == explanation.summary()
    data = trace.as_dict()
    assert data["changed"] and len(data["edits"]) == len(trace.edits) and data["cleaners"][0]["cleaner"] == "html"
    assert "edit(s)" in repr(trace)


@settings(max_examples=150)
@given(text=TEXTS)
def test_net_numbers_equal_those_of_a_normal_run(text: str) -> None:
    net = dict.fromkeys(DEFAULT.names, 0)

    def observe(index: int, before: str, after: str) -> None:
        net[DEFAULT.names[index]] += len(before) - len(after)

    DEFAULT.clean(text, observe=observe)
    for report in DEFAULT.explain(text).reports:
        assert report.net == net[report.name]
        assert (report.chars_removed, report.chars_added) == (max(net[report.name], 0), max(-net[report.name], 0))


def test_recheck_rounds_are_traced() -> None:
    from plugin_fixtures import DropPairs, DropX

    p = Pipeline([DropPairs(), DropX()])
    trace = p.trace("caxbd")
    assert trace.text == "cd" == p.clean("caxbd")
    check_trace(trace)
    assert [(e.original, e.removed) for e in trace.edits] == [((1, 4), "axb")]
    assert trace.edits[0].cleaners == ("dropx", "droppairs")
    assert trace.report("droppairs").edits == 1 and trace.report("dropx").edits == 1


def test_trace_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="expects str"):
        DEFAULT.trace(b"bytes")  # type: ignore[arg-type]


# -- plugins: the diff fallback and cleaners reporting their own changes ---------------------------


class Censor(Cleaner):
    """Only implements clean(): traced through the diff fallback."""

    name = "censor"
    description = "Replace the word 'darn' with '****'."
    default_enabled = False

    def clean(self, text: str) -> str:
        return text.replace("darn", "****")


class Ads(Cleaner):
    """Reports its own changes, with a rule, a score and a detail."""

    name = "ads"
    description = "Remove 'AD:' lines."
    default_enabled = False

    def clean(self, text: str) -> str:
        return self.explain(text)[0]

    def explain(self, text: str) -> tuple[str, list[Change]]:
        changes = [
            Change(m.start(), m.group(), "", "advertisement", rule="ad-prefix", score=0.97, detail="starts with AD:")
            for m in re.finditer(r"(?m)^AD:.*\n?", text)
        ]
        return apply_changes(text, changes), changes


class Liar(Censor):
    """Reports changes that do not match what it did."""

    name = "liar"

    def explain(self, text: str) -> tuple[str, list[Change]]:
        result = self.clean(text)
        return result, ([Change(0, text[:1], "", "liar")] if result != text else [])


@settings(max_examples=100)
@given(text=TEXTS | st.just("darn it, darn"))
def test_a_plugin_that_only_cleans_is_traced_through_a_diff(text: str) -> None:
    p = Pipeline([Censor(), *DEFAULT.cleaners])
    trace = p.trace(text)
    assert trace.text == p.clean(text)
    check_trace(trace)


def test_diff_fallback_edits_name_the_plugin() -> None:
    trace = Pipeline([Censor()]).trace("Well, darn it. Darn.")
    assert [(e.cleaner, e.category, e.removed, e.inserted) for e in trace.edits] == [
        ("censor", "censor", "darn", "****")
    ]


def test_own_changes_keep_rule_score_and_detail() -> None:
    p = Pipeline([Ads(), DEFAULT.cleaners[-1]])
    trace = p.trace("Story starts.\nAD: buy now  \nStory ends.  ")
    assert trace.text == "Story starts.\nStory ends."
    ad = trace.edits[0]
    assert (ad.cleaner, ad.category, ad.rule, ad.score, ad.detail) == (
        "ads", "advertisement", "ad-prefix", 0.97, "starts with AD:"
    )
    assert ad.as_dict()["score"] == 0.97 and "steps" not in ad.as_dict()
    assert trace.report("ads").categories == {"advertisement": 1}


def test_changes_that_do_not_match_the_output_fall_back_to_a_diff_with_a_warning() -> None:
    with pytest.warns(RuntimeWarning, match="cleaner 'liar'.*derived with a diff"):
        trace = Pipeline([Liar()]).trace("x darn y")
    assert [(e.removed, e.inserted) for e in trace.edits] == [("darn", "****")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once per cleaner class
        Pipeline([Liar()]).trace("x darn y")


# -- each built-in cleaner's own changes ---------------------------------------------------------


VARIANTS = Pipeline(["html", "unicode", "quotes", "truncation", "whitespace"], options={
    "quotes": {"ascii_dashes": True, "ascii_ellipsis": True, "ascii_guillemets": True},
    "unicode": {"form": "NFKC"},
    "truncation": {"extra_stubs": ["Lire la suite"], "bracketed_ellipsis": False},
    "whitespace": {"max_blank_lines": 0},
})


@pytest.mark.parametrize("cleaner", (*DEFAULT.cleaners, *VARIANTS.cleaners[1:]), ids=repr)
def test_own_changes_describe_exactly_what_clean_does(cleaner: Cleaner) -> None:
    from newsclean.diffing import diff_changes

    @settings(max_examples=300)
    @given(text=TEXTS)
    def prop(text: str) -> None:
        result, changes = cleaner.explain(text)
        assert result == cleaner.clean(text)
        assert check_changes(text, changes, result) is None
        assert (changes == []) == (result == text)
        # the same effect as the edits a diff finds
        assert apply_changes(text, diff_changes(text, result, cleaner.name)) == result == apply_changes(text, changes)

    prop()


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("html", "a&nbsp;b<br>c", [(1, "&nbsp;", "\u00a0", "entity"), (8, "<br>", "\n", "tag")]),
        ("html", "x<script>var a = 1;</script>y", [(1, "<script>var a = 1;</script>", "\n", "script")]),
        ("mojibake", "caf\u00c3\u00a9 ok", [(3, "\u00c3\u00a9", "\u00e9", "mojibake")]),
        ("unicode", "a\u00a0b\u200bc\r\nd", [(1, "\u00a0", " ", "space"), (3, "\u200b", "", "invisible"),
                                             (5, "\r", "", "line-break")]),
        ("quotes", "\u201cHi\u201d, it\u2019s", [(0, "\u201c", '"', "quote"), (3, "\u201d", '"', "quote"),
                                                 (8, "\u2019", "'", "quote")]),
        ("truncation", "He said\u2026 [+2001 chars]", [(8, " [+2001 chars]", "", "marker")]),
        ("truncation", "Talks resume.\n\nContinue reading", [(13, "\n\nContinue reading", "", "stub")]),
        ("whitespace", " a  b \n\n\n\nc ", [(0, " ", "", "document-ends"), (3, " ", "", "spaces"),
                                            (5, " ", "", "line-ends"), (8, "\n\n", "", "blank-lines"),
                                            (11, " ", "", "document-ends")]),
    ],
)
def test_own_changes_examples(name: str, raw: str, expected: list[tuple[int, str, str, str]]) -> None:
    cleaner = next(c for c in DEFAULT.cleaners if c.name == name)
    _, changes = cleaner.explain(raw)
    assert [(c.start, c.removed, c.inserted, c.category) for c in changes] == expected


def test_mojibake_changes_name_the_wrong_encoding() -> None:
    cleaner = next(c for c in DEFAULT.cleaners if c.name == "mojibake")
    _, (change,) = cleaner.explain("The mayor\u00e2\u20ac\u2122s office")
    assert change.rule == "sloppy-windows-1252" and "decode utf-8" in change.detail


# -- the composer ------------------------------------------------------------------------------------


@st.composite
def change_lists(draw: st.DrawFn) -> tuple[str, list[tuple[str, list[Change]]]]:
    """A text and a few passes of random changes, each positioned in the output of the pass before."""
    text = draw(st.text("abc\n", max_size=30))
    passes = []
    current = text
    for _ in range(draw(st.integers(1, 4))):
        changes = []
        pos = 0
        while pos <= len(current) and draw(st.booleans()):
            start = draw(st.integers(pos, len(current)))
            end = draw(st.integers(start, min(len(current), start + 4)))
            inserted = draw(st.text("xyz", max_size=3))
            if end == start and not inserted:
                inserted = "x"
            changes.append(Change(start, current[start:end], inserted, f"c{len(passes)}"))
            pos = end if end > start else start  # insertions may follow each other at one point
            if end == start and pos == len(current):
                break
        current = apply_changes(current, changes)
        passes.append((current, changes))
    return text, passes


@settings(max_examples=400)
@given(change_lists())
def test_composed_changes_reproduce_the_last_text(case: tuple[str, list[tuple[str, list[Change]]]]) -> None:
    text, passes = case
    final = passes[-1][0]
    composer = Composer()
    for number, (_, changes) in enumerate(passes):
        composer.apply(changes, number)
    composed = composer.changes(text, final)
    assert check_changes(text, composed, final) is None
    # each composed edit lists its sources oldest first
    for sources in composer.sources:
        assert [number for number, _, _ in sources] == sorted(number for number, _, _ in sources)
        assert [tag for _, tag, _ in sources] == sorted(tag for _, tag, _ in sources)
    result, changes = compose_passes(text, passes)
    assert result == final and check_changes(text, changes, final) is None


def test_composer_merges_overlapping_and_keeps_touching_edits_apart() -> None:
    composer = Composer()
    composer.apply([Change(2, "cd", "X", "first"), Change(6, "g", "", "first")], "a")  # "abcdefgh" -> "abXefh"
    composer.apply([Change(2, "X", "Y", "second"), Change(3, "e", "", "second")], "b")  # -> "abYfh"
    assert composer.changes("abcdefgh", "abYfh") == [
        Change(2, "cd", "Y", "first"), Change(4, "e", "", "second"), Change(6, "g", "", "first"),
    ]
    assert [len(s) for s in composer.sources] == [2, 1, 1]


def test_text_inserted_and_deleted_again_leaves_no_edit() -> None:
    composer = Composer()
    composer.apply([Change(1, "", "zz", "add")], "a")
    composer.apply([Change(1, "zz", "", "drop")], "b")
    assert len(composer) == 0 and composer.changes("ab", "ab") == []


def test_check_changes_names_the_problem() -> None:
    assert check_changes("abc", [Change(1, "x", "", "k")], "ac") is not None
    assert "empty" in check_changes("abc", [Change(1, "", "", "k")], "abc")
    assert "overlaps" in check_changes("abc", [Change(1, "b", "", "k"), Change(0, "a", "", "k")], "c")
    assert "does not give" in check_changes("abc", [Change(1, "b", "", "k")], "abc")
    assert check_changes("abc", [Change(1, "b", "B", "k")], "aBc") is None


def test_a_trace_pickles_and_an_empty_one_is_still_a_trace() -> None:
    import pickle

    trace = DEFAULT.trace("He said&nbsp;  no.\n\n\n")
    copy = pickle.loads(pickle.dumps(trace))
    assert copy.edits == trace.edits and copy.text == trace.text
    assert copy.to_original_spans([(0, 3), (7, 10)]) == trace.to_original_spans([(0, 3), (7, 10)])
    untouched = DEFAULT.trace("Clean text.")
    assert untouched.edits == () and not untouched.changed and untouched.to_original(5) == 5
    assert untouched is not None and repr(untouched) == "<Trace: 0 edit(s), 11 -> 11 chars>"


def test_changes_that_are_not_changes_at_all_fall_back_to_a_diff() -> None:
    class Garbage(Censor):
        name = "garbage"

        def explain(self, text: str) -> tuple[str, list[Change]]:
            return self.clean(text), None  # type: ignore[return-value]

    with pytest.warns(RuntimeWarning, match="cleaner 'garbage'.*TypeError"):
        trace = Pipeline([Garbage()]).trace("x darn y")
    assert [(e.cleaner, e.removed, e.inserted) for e in trace.edits] == [("garbage", "darn", "****")]
