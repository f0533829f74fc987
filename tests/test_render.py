"""Rendering traces: --explain listings and totals, --diff, visible invisibles, trace records."""

from __future__ import annotations

import io
import json
import re
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import Change, Cleaner, Pipeline
from newsclean.changes import apply_changes
from newsclean.render import TraceWriter, format_diff, format_document, format_totals, trace_record
from newsclean.render.records import document_record, encode_line, encode_source, encode_tail, read_trace
from newsclean.render.text import LineIndex, shorten, visible
from newsclean.tracing import Edit, apply_edits

DEFAULT = Pipeline.default()

# Text without the characters the renderers use as marks, so a rendered line can be unmarked.
_PIECES = st.sampled_from([
    "The ", "senator", " said", ".", ",", "  ", "\t", "\n", "\n\n\n", "\r\n", "\u00a0", "\u200b", "\u00ad",
    "&amp;", "&#8217;", "<br>", "<p class=\"x\">", "\u201c", "\u201d", "Advertisement\n", "Read more",
    " [+2001 chars]", "Ã©", "â€™", "Subscribe to our newsletter\n", "x", "\x00",
])
MARK_FREE = st.lists(_PIECES, max_size=25).map("".join)


def unmark(line: str, kind: str) -> str:
    opening, closing = ("[-", "-]") if kind == "-" else ("{+", "+}")
    text = line.replace(opening, "").replace(closing, "")
    return text[:-1] if text.endswith("⏎") else text


@settings(max_examples=300)
@given(text=MARK_FREE)
def test_the_diff_shows_every_input_and_output_line_in_order(text: str) -> None:
    trace = DEFAULT.trace(text)
    out = format_diff(trace, "doc.txt", context=10_000)
    if not trace.edits:
        assert out == ""
        return
    lines = out.split("\n")
    assert lines[:2] == ["--- doc.txt", "+++ doc.txt"] and lines[2].startswith("@@ -")
    body = [line for line in lines[3:-1] if line != "\\ No newline at end of file"]
    before = [line[1:] if line[0] == " " else unmark(line[1:], "-") for line in body if line[0] in " -"]
    after = [line[1:] if line[0] == " " else unmark(line[1:], "+") for line in body if line[0] in " +"]
    assert before == lines_of(text)
    assert after == lines_of(trace.text)


def lines_of(text: str) -> list[str]:
    return [visible(line.removesuffix("\n")) for line in re.findall(r"[^\n]*\n|[^\n]+$", text)]


def test_changed_lines_are_marked_where_they_changed_even_after_a_removed_line() -> None:
    raw = "Intro  text.\nAdvertisement\nMore  text.\nunchanged\n"
    trace = Pipeline(["boilerplate", "whitespace"]).trace(raw)
    assert format_diff(trace, "a.txt").splitlines() == [
        "--- a.txt", "+++ a.txt", "@@ -1,4 +1,3 @@",
        "-Intro [- -]text.",
        "-Advertisement",  # removed whole: not marked inside
        "-More [- -]text.",
        "-unchanged[-⏎-]",  # only its line break went (the document's end)
        "+Intro text.",
        "+More text.",
        "+unchanged",
        "\\ No newline at end of file",
    ]


def test_hunks_keep_context_lines_and_split_far_apart_changes() -> None:
    lines = [f"line {i}" for i in range(20)]
    lines[2] = "line  2"
    lines[15] = "line  15"
    trace = Pipeline(["whitespace"]).trace("\n".join(lines))
    out = format_diff(trace, "x", context=1)
    assert out.splitlines() == [
        "--- x", "+++ x",
        "@@ -2,3 +2,3 @@", " line 1", "-line [- -]2", "+line 2", " line 3",
        "@@ -15,3 +15,3 @@", " line 14", "-line [- -]15", "+line 15", " line 16",
    ]
    assert format_diff(trace, "in.txt", after="out.txt").splitlines()[:2] == ["--- in.txt", "+++ out.txt"]
    assert format_diff(Pipeline(["whitespace"]).trace("clean"), "x") == ""


def test_inserted_line_breaks_and_colour() -> None:
    trace = Pipeline(["html"]).trace("one<br>two\n")
    assert format_diff(trace, "a").splitlines()[2:] == ["@@ -1 +1,2 @@", "-one[-<br>-]two", "+one{+⏎+}", "+two"]
    coloured = format_diff(trace, "a", color=True)
    assert "\x1b[31m-one\x1b[7m<br>\x1b[27mtwo\x1b[0m" in coloured
    assert "\x1b[32m+one\x1b[7m⏎\x1b[27m\x1b[0m" in coloured and "\x1b[36m@@ -1 +1,2 @@\x1b[0m" in coloured


def test_invisible_characters_are_named_and_control_codes_never_reach_the_terminal() -> None:
    assert visible("a\u00a0b\u200bc\u00add\ufeffe\u2028f\tg") == "a⟨NBSP⟩b⟨ZWSP⟩c⟨SHY⟩d⟨BOM⟩e⟨LS⟩f⟨TAB⟩g"
    assert visible("\x1b[31mred\n\u2061\ud800") == "⟨ESC⟩[31mred⏎⟨U+2061⟩⟨U+D800⟩"
    assert visible("line\n", None) == "line\n" and visible("plain text") == "plain text"
    assert visible("caf\u00e9 \u201cquoted\u201d \U0001f600") == "caf\u00e9 \u201cquoted\u201d \U0001f600"
    trace = Pipeline(["whitespace"]).trace("\x1b[2J  gone")
    assert "\x1b" not in format_document(trace, "a") + format_diff(trace, "a")


def test_line_index_and_shorten() -> None:
    index = LineIndex("ab\ncd\n\nef")
    assert [index.position(i) for i in (0, 1, 2, 3, 6, 7, 9)] == [(1, 1), (1, 2), (1, 3), (2, 1), (3, 1), (4, 1),
                                                                  (4, 3)]
    assert shorten("abcdefghij", 20) == ("abcdefghij", "", 0)
    head, tail, hidden = shorten("abcdefghij" * 10, 30)
    assert len(head) + len(tail) + hidden == 100 and head == "abcdefghij" * 2 and tail == "ghij" * 0 + tail


def test_explain_document_shows_rule_score_detail_and_merged_cleaners() -> None:
    class Promo(Cleaner):
        name = "promo"
        description = "Remove promo lines."
        default_enabled = False

        def clean(self, text: str) -> str:
            return self.explain(text)[0]

        def explain(self, text: str) -> tuple[str, list[Change]]:
            start = text.find("PROMO")
            if start < 0:
                return text, []
            changes = [Change(start, text[start:], "", "promotion", "promo-rule", 0.912, "all caps, short")]
            return apply_changes(text, changes), changes

    raw = "He said &#8220;yes&#8221;.\nPROMO " + "x" * 100
    trace = Pipeline([*DEFAULT.cleaners[:5], Promo()]).trace(raw)
    lines = format_document(trace, "doc", context=5, limit=20).splitlines()
    assert lines[0] == "doc: 3 edits (html 2, quotes 2, promo 1)"
    assert lines[1] == "  1:9   html+quotes  entity     …said [-&#8220;-]{+\"+}yes&#…"
    assert lines[3] == ("  2:1   promo        promotion  …21;.⏎[-PROMO xxxxxxx…(86 more)…xxxxxxx-]"
                        "  rule promo-rule, score 0.91, all caps, short")
    assert format_document(Pipeline(["html"]).trace("nothing"), "doc") == ""


def test_totals_per_cleaner_and_category() -> None:
    stats = {
        "html": SimpleNamespace(documents_changed=2, chars_removed=10, chars_added=0, categories={"entity": 3}),
        "quotes": SimpleNamespace(documents_changed=1, chars_removed=0, chars_added=0, categories={"quote": 4}),
        "idle": SimpleNamespace(documents_changed=0, chars_removed=0, chars_added=0, categories={}),
        "grow": SimpleNamespace(documents_changed=1200, chars_removed=3, chars_added=2345, categories={"x": 1300}),
    }
    # the run summary's columns and numbers (net per document), plus each cleaner's changes
    assert format_totals(stats).splitlines() == [
        "totals per cleaner (characters: net per document)",
        "  cleaner  docs changed  changes  chars removed  chars added",
        "  html                2        3             10            0",
        "  quotes              1        4              0            0",
        "  grow            1,200    1,300              3        2,345",
        "totals per category",
        "  html/entity         3",
        "  quotes/quote        4",
        "  grow/x          1,300",
    ]
    assert format_totals({"idle": stats["idle"]}) == ""
    assert "\x1b[1mtotals per cleaner (characters: net per document)\x1b[0m" in format_totals(stats, color=True)


@settings(max_examples=150)
@given(text=MARK_FREE | st.text(max_size=80))
def test_trace_records_round_trip_and_let_an_auditor_rebuild_the_output(text: str) -> None:
    trace = DEFAULT.trace(text)
    stream = io.BytesIO()
    with TraceWriter(stream) as writer:
        writer.write(trace, "dump.jsonl", line=7, field="text", id="a-1")
        writer.write(DEFAULT.trace("clean"), "dump.jsonl", line=8, field="text")
    assert writer.records == 2 and stream.getvalue().count(b"\n") == 2
    first, second = read_trace(io.BytesIO(stream.getvalue()))
    assert first == json.loads(json.dumps(trace_record(trace, "dump.jsonl", 7, "text", "a-1")))
    assert (first["source"], first["line"], first["field"], first["id"]) == ("dump.jsonl", 7, "text", "a-1")
    assert first["length"] == [len(text), len(trace.text)] and second["edits"] == []
    edits = [Edit(e["cleaner"], e["category"], tuple(e["original"]), tuple(e["cleaned"]), e["removed"], e["inserted"])
             for e in first["edits"]]
    assert apply_edits(text, edits) == trace.text


WITH_SURROGATES = st.characters() | st.characters(categories=["Cs"])


@settings(max_examples=150)
@given(text=MARK_FREE | st.text(WITH_SURROGATES, max_size=40), source=st.text(WITH_SURROGATES, max_size=12),
       line=st.none() | st.integers(0, 10**9))
def test_a_record_made_in_two_parts_is_the_record(text: str, source: str, line: int | None) -> None:
    """A file run encodes a record's tail in the worker and its source and line in the writer; lone
    surrogates (from JSON escapes, or undecodable file names) end up as JSON escapes, never as an error."""
    trace = DEFAULT.trace(text)
    data = encode_line(encode_source(source), line, encode_tail(document_record(trace, "text")))
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    assert json.loads(data) == json.loads(json.dumps(trace_record(trace, source, line, "text")))
    stream = io.BytesIO()
    TraceWriter(stream).write(trace, source, line, "text")
    if not any("\ud800" <= c <= "\udfff" for c in source + text):
        assert stream.getvalue() == data  # byte for byte what TraceWriter writes
