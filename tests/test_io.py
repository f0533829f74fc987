"""Unit tests for newsclean.io: formats, discovery, chunking, per-format codecs, atomic output."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.io import AtomicOutput, cleanup_temporaries, detect, discover
from newsclean.io.atomic import TEMP_SUFFIX
from newsclean.io.codecs import (
    KEEP_BYTES,
    CsvLayout,
    FailRun,
    csv_chunk,
    decode_records,
    jsonl_chunk,
    parse_header,
    split_lines,
    txt_chunk,
)
from newsclean.io.readers import (
    RecordTooLarge,
    UnbalancedQuote,
    csv_chunks,
    first_record,
    line_chunks,
    locate_record,
    read_document,
)


def squeeze(text: str, line: int, field: str | None) -> str:
    """A stand-in cleaner: collapse double spaces (returns the same object when nothing changes)."""
    return text.replace("  ", " ") if "  " in text else text


# -- formats ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", ("txt", None)),
        ("a.TXT", ("txt", None)),
        ("dump.jsonl", ("jsonl", None)),
        ("dump.ndjson.gz", ("jsonl", "gzip")),
        ("table.csv.bz2", ("csv", "bz2")),
        ("table.tsv.xz", ("tsv", "xz")),
        ("notes.tab", ("tsv", None)),
        ("page.html", (None, None)),
        ("archive.gz", (None, "gzip")),
        ("README", (None, None)),
    ],
)
def test_detect(name, expected):
    assert detect(name) == expected


# -- discovery ----------------------------------------------------------------------


def _tree(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / ".hidden").mkdir()
    for rel in ["a.txt", "sub/b.jsonl", "sub/c.csv.gz", "skip.html", ".secret.txt", ".hidden/d.txt"]:
        (tmp_path / "in" / rel).write_bytes(b"x")
    return tmp_path / "in"


def test_discover_folder_walks_known_formats_sorted_and_skips_hidden(tmp_path):
    root = _tree(tmp_path)
    inputs, problems, folders = discover([str(root)])
    assert [i.relpath for i in inputs] == ["a.txt", "sub/b.jsonl", "sub/c.csv.gz"]
    assert [(i.format, i.compression) for i in inputs] == [("txt", None), ("jsonl", None), ("csv", "gzip")]
    assert problems == [] and folders == [root]


def test_discover_forced_format_takes_every_visible_file(tmp_path):
    root = _tree(tmp_path)
    inputs, _, _ = discover([str(root)], "txt")
    assert [i.relpath for i in inputs] == ["a.txt", "skip.html", "sub/b.jsonl", "sub/c.csv.gz"]
    assert {i.format for i in inputs} == {"txt"}


def test_discover_explicit_unknown_extension_is_text_and_duplicates_are_dropped(tmp_path):
    root = _tree(tmp_path)
    page = root / "skip.html"
    inputs, problems, _ = discover([str(page), str(page), str(root / "a.txt")])
    assert [(i.relpath, i.format) for i in inputs] == [("skip.html", "txt"), ("a.txt", "txt")]
    assert problems == []


def test_discover_glob_missing_and_stdin(tmp_path):
    root = _tree(tmp_path)
    inputs, problems, _ = discover([str(root / "**" / "*.jsonl"), str(root / "nope.txt"), str(root / "*.zzz"), "-"])
    assert [i.relpath for i in inputs] == ["sub/b.jsonl", "stdin"]
    assert inputs[-1].is_stdin and inputs[-1].label == "<stdin>"
    assert [p.message for p in problems] == ["no such file or folder", "no files match this pattern"]


def test_discover_defaults_to_stdin():
    inputs, problems, _ = discover([])
    assert len(inputs) == 1 and inputs[0].is_stdin and inputs[0].format == "txt" and not problems


def test_discover_decides_json_and_unknown_extensions_and_stdin_by_content(tmp_path):
    records = b'{"text": "a"}\n{"text": "b"}\n'
    (tmp_path / "dump.json").write_bytes(records)
    (tmp_path / "dump.json.gz").write_bytes(gzip.compress(records))
    (tmp_path / "noext").write_bytes(bz2.compress(records))
    (tmp_path / "notes").write_bytes(b"[Photo] The mayor said so.\n")
    (tmp_path / "array.json").write_bytes(b'[\n  {"text": "a"}\n]\n')
    (tmp_path / "scalar.json").write_bytes(b'"just a string"\n')
    names = ["dump.json", "dump.json.gz", "noext", "notes", "array.json", "scalar.json"]
    inputs, problems, _ = discover([str(tmp_path / name) for name in names])
    assert [(i.relpath, i.format, i.compression) for i in inputs] == [
        ("dump.json", "jsonl", None), ("dump.json.gz", "jsonl", "gzip"), ("noext", "jsonl", "bz2"),
        ("notes", "txt", None)]
    assert [(os.path.basename(p.path), p.level) for p in problems] == [("array.json", "error"),
                                                                       ("scalar.json", "error")]
    assert "a JSON array, not JSON Lines" in problems[0].message
    # Forced formats are not second-guessed; in a folder walk, refused files are warnings.
    inputs, problems, _ = discover([str(tmp_path / "array.json")], "txt")
    assert [(i.format, problems) for i in inputs] == [("txt", [])]
    _, problems, _ = discover([str(tmp_path)])
    assert {(os.path.basename(p.path), p.level) for p in problems} == {("array.json", "warning"),
                                                                       ("scalar.json", "warning")}
    stdin = io.BytesIO(gzip.compress(records))
    inputs, _, _ = discover(["-"], stdin=stdin)
    assert (inputs[0].format, inputs[0].compression) == ("jsonl", "gzip") and stdin.tell() == 0


def test_discover_skips_and_reports_non_regular_files_in_folders(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    os.mkfifo(tmp_path / "b.txt")
    inputs, problems, _ = discover([str(tmp_path)])
    assert [i.relpath for i in inputs] == ["a.txt"]
    assert [(p.path, p.level) for p in problems] == [(str(tmp_path / "b.txt"), "warning")]
    assert "a named pipe (FIFO), not a regular file; skipped" in problems[0].message
    inputs, problems, _ = discover([str(tmp_path / "b.txt")])  # named explicitly: read (as a stream)
    assert [i.format for i in inputs] == ["txt"] and problems == []


def test_open_input_file_waits_for_a_writer_on_a_named_pipe(tmp_path, monkeypatch):
    import threading

    from newsclean.io.discovery import open_input_file

    pipe = tmp_path / "p"
    os.mkfifo(pipe)
    monkeypatch.setenv("NEWSCLEAN_FIFO_WAIT", "0.05")
    with pytest.raises(TimeoutError, match=r"no process wrote to this named pipe within 0\.05 s"):
        open_input_file(pipe)
    monkeypatch.setenv("NEWSCLEAN_FIFO_WAIT", "60")

    def write() -> None:
        with open(pipe, "wb") as writer:
            writer.write(b"hello")

    thread = threading.Thread(target=write)
    thread.start()
    with open_input_file(pipe) as stream:
        assert stream.read() == b"hello"
    thread.join()


# -- readers ------------------------------------------------------------------------


@settings(max_examples=60)
@given(
    lines=st.lists(st.text(alphabet="ab\u00e9 ", max_size=12), max_size=30),
    final_newline=st.booleans(),
    chunk_size=st.integers(1, 40),
)
def test_line_chunks_cover_the_input_exactly_and_end_on_newlines(lines, final_newline, chunk_size):
    data = "\n".join(lines).encode() + (b"\n" if final_newline and lines else b"")
    chunks = list(line_chunks(io.BytesIO(data), chunk_size, max_record=10_000))
    assert b"".join(c.data for c in chunks) == data
    for chunk in chunks[:-1]:
        assert chunk.data.endswith(b"\n")
    for chunk in chunks:
        assert chunk.offset == data.index(chunk.data, chunk.offset) and chunk.offset == sum(
            len(c.data) for c in chunks[: chunks.index(chunk)]
        )
        assert chunk.first_line == data[: chunk.offset].count(b"\n") + 1


@settings(max_examples=60)
@given(
    rows=st.lists(st.lists(st.text(alphabet='ab,"\n\r ', max_size=8), min_size=2, max_size=2), max_size=15),
    chunk_size=st.integers(1, 50),
)
def test_csv_chunks_never_cut_inside_a_quoted_field(rows, chunk_size):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([["h1", "h2"], *rows])  # "\r\n": quotes a lone \r too
    data = buffer.getvalue().encode()
    stream = io.BytesIO(data)
    header, rest = first_record(stream, 10_000, quoted=True)
    assert header == b"h1,h2\r\n"
    chunks = list(csv_chunks(rest, stream, chunk_size, 10_000, start_offset=len(header), start_line=2))
    assert header + b"".join(c.data for c in chunks) == data
    parsed = []
    for chunk in chunks:
        parsed.extend(csv.reader(split_lines(chunk.data.decode())))
    assert parsed == rows


def test_record_too_large():
    with pytest.raises(RecordTooLarge) as info:
        list(line_chunks(io.BytesIO(b"ok\n" + b"x" * 100), 8, max_record=50))
    assert info.value.offset == 3 and info.value.line == 2
    with pytest.raises(RecordTooLarge):
        read_document(io.BytesIO(b"x" * 11), 10)
    assert read_document(io.BytesIO(b"x" * 10), 10) == b"x" * 10


def test_csv_header_whose_quote_never_closes_is_an_error_not_the_whole_file():
    body = b"".join(b'%d,"some text"\n' % i for i in range(1000))
    with pytest.raises(UnbalancedQuote) as info:
        first_record(io.BytesIO(b'id,"text\n' + body), 10_000_000, quoted=True)
    assert "malformed CSV header at line 1" in str(info.value) and "never closes" in str(info.value)
    # A quoted header field may hold a newline; one that closes is fine.
    assert first_record(io.BytesIO(b'id,"te\nxt"\n1,2\n'), 100, quoted=True) == (b'id,"te\nxt"\n', b"1,2\n")
    assert first_record(io.BytesIO(b"id,text"), 100, quoted=True) == (b"id,text", b"")


class _CountingStream(io.BytesIO):
    """Counts the bytes handed out, to check that reading stops at the size limit."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.given = 0

    def read(self, size: int = -1) -> bytes:
        data = super().read(size)
        self.given += len(data)
        return data


@pytest.mark.parametrize("quoted", [False, True])
def test_a_record_without_newline_stops_at_the_limit(quoted):
    stream = _CountingStream(b"\0" * 5_000_000)  # like -f csv /dev/zero
    with pytest.raises(RecordTooLarge) as info:
        first_record(stream, 100_000, quoted=quoted)
    assert (info.value.offset, info.value.line) == (0, 1) and stream.given < 200_000
    stream = _CountingStream(b"ok\n" + b'"' * 5_000_000)
    with pytest.raises(RecordTooLarge) as info:
        list(line_chunks(stream, 65536, 100_000, quoted=quoted))
    assert (info.value.offset, info.value.line) == (3, 2) and stream.given < 200_000


@settings(max_examples=100)
@given(
    rows=st.lists(st.lists(st.text(alphabet='ab,"\n', max_size=30), min_size=1, max_size=3), max_size=12),
    chunk_size=st.integers(1, 30),
)
def test_quoted_boundaries_match_a_full_rescan(rows, chunk_size):
    """The incremental quote count finds the same boundaries as counting quotes from the start."""
    data = "".join(",".join(f'"{c}"' if i % 2 else c for i, c in enumerate(row)) + "\n" for row in rows).encode()
    chunks = list(line_chunks(io.BytesIO(data), chunk_size, 10_000, quoted=True))
    assert b"".join(c.data for c in chunks) == data
    for chunk in chunks[:-1]:
        end = chunk.offset + len(chunk.data)
        assert data[end - 1:end] == b"\n" and data.count(b'"', 0, end) % 2 == 0


def test_locate_record_finds_the_line_start():
    data = b"a\nbb\n" + b"x" * 100 + b"\nz\n"
    assert locate_record(io.BytesIO(data), 50, block=7) == (5, 3)
    assert locate_record(io.BytesIO(data), 0) == (0, 1)
    assert locate_record(io.BytesIO(data), 2) == (2, 2)


# -- codecs -------------------------------------------------------------------------


def test_jsonl_unchanged_records_pass_through_byte_for_byte_and_changed_keep_key_order():
    text = (
        '{"z": 1, "text": "Caf\\u00e9  au lait", "a": [1, 2.50]}\n'  # escapes kept only when unchanged
        '{"z":2,"text":"fine"}\n'
        '{"text": "two  spaces", "title": "Z\u00fcrich", "n": null}\r\n'
        '{"compact":true,"text":"x  y"}'
    )
    out = jsonl_chunk(text, 1, squeeze, ("text",), "keep")
    lines = "".join(out.parts).split("\n")
    assert json.loads(lines[0]) == {"z": 1, "text": "Caf\u00e9 au lait", "a": [1, 2.5]}
    assert list(json.loads(lines[0])) == ["z", "text", "a"]
    assert lines[1] == '{"z":2,"text":"fine"}'
    assert lines[2] == '{"text": "two spaces", "title": "Z\u00fcrich", "n": null}\r'  # non-ASCII kept, CRLF kept
    assert lines[3] == '{"compact":true,"text":"x y"}'  # compact style kept, no newline added at the end
    assert out.records == 4 and out.missing == 0 and out.modified and not out.errors


def test_jsonl_changed_record_changes_only_the_cleaned_value():
    text = '{"text":"a  b", "n": 1e400,"m" :1E5, "text" :  "x  y" ,"u":"\\u00e9\\n", "deep": {"text": "p  q"}}\n'
    out = jsonl_chunk(text, 1, squeeze, ("text",), "keep")
    # The last "text" is the one json.loads reads: only it changes; numbers, escapes, spacing stay.
    assert "".join(out.parts) == text.replace('"x  y"', '"x y"')


_JSON_WS = st.sampled_from(["", " ", "  ", "\t", "\r"])
_KEYS = st.sampled_from(["text", "title", "id", "t\\u0065xt", "\u00e9"])
_RAW_VALUES = st.sampled_from(
    ["1e400", "1E5", "-0.0", "12345678901234567890", "true", "null", '"x  y"', '"\\u00e9  \\ud83d\\ude00"',
     "[1, 2.50, {\"text\": \"a  b\"}]", '{"text": "n  n"}', '"a\\"b  c"', '"\u2028  z"']
)


@st.composite
def json_objects(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, str]], str]:
    """A JSON object as text in odd layouts: its opening, its members (the text before each value,
    the key, the value's text) and its closing."""
    members = draw(st.lists(st.tuples(_KEYS, _RAW_VALUES, _JSON_WS, _JSON_WS, _JSON_WS), max_size=6))
    layout = []
    for i, (key, value, a, b, c) in enumerate(members):
        before = (a + "," + b) if i else ""
        layout.append((f'{before}"{key}"{c}:{a}', json.loads(f'"{key}"'), value))
    return "{" + draw(_JSON_WS), layout, draw(_JSON_WS) + "}"


@settings(max_examples=max(200, settings.default.max_examples // 10))
@given(obj=json_objects(), new=st.text(max_size=8))
def test_splice_values_changes_only_the_last_value_of_each_key(obj, new):
    from newsclean.io.codecs import splice_values

    opening, layout, closing = obj
    body = opening + "".join(head + value for head, _, value in layout) + closing
    changes = {key: new for _, key, _ in layout if key in ("text", "title")}
    last = {key: i for i, (_, key, _) in enumerate(layout)}
    expected = opening + "".join(
        head + (json.dumps(new, ensure_ascii=False) if key in changes and last[key] == i else value)
        for i, (head, key, value) in enumerate(layout)
    ) + closing
    assert splice_values(body, changes) == expected
    assert json.loads(expected) == {**json.loads(body), **changes}


def test_jsonl_missing_field_non_objects_blank_lines_and_unicode_line_separators():
    text = '{"title": "no text"}\n\n  \n[1, 2]\n{"text": 5}\n{"text": "a\u2028b  c"}\n'
    out = jsonl_chunk(text, 10, squeeze, ("text",), "keep")
    assert "".join(out.parts) == text.replace("b  c", "b c")
    assert out.records == 4 and out.missing == 3


@pytest.mark.parametrize(
    ("policy", "expected"), [("keep", '{oops\n{"text": "a b"}\n'), ("skip", '{"text": "a b"}\n')]
)
def test_jsonl_malformed_record_policy(policy, expected):
    out = jsonl_chunk('{oops\n{"text": "a  b"}\n', 5, squeeze, ("text",), policy)
    assert "".join(out.parts) == expected
    assert out.errors[0][0] == 5 and "malformed JSON" in out.errors[0][1]
    with pytest.raises(FailRun):
        jsonl_chunk('{oops\n', 5, squeeze, ("text",), "fail")


def test_jsonl_several_fields_and_dropped_record():
    def drop_bad(text, line, field):
        return None if "BAD" in text else squeeze(text, line, field)

    text = '{"title": "A  b", "text": "c  d"}\n{"title": "BAD", "text": "x"}\n'
    out = jsonl_chunk(text, 1, drop_bad, ("title", "text"), "keep")
    assert "".join(out.parts) == '{"title": "A b", "text": "c d"}\n'


def test_txt_chunk():
    assert txt_chunk("a  b", 1, squeeze).parts == ["a b"]
    out = txt_chunk("ab", 1, squeeze)
    assert out.parts == ["ab"] and not out.modified


def strip(text: str, line: int, field: str | None) -> str:
    """A stand-in cleaner that strips the document, as the whitespace cleaner does."""
    return text.strip().replace("  ", " ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a  b\n", "a b\n"), ("a  b", "a b"), ("a  b\n\n\n", "a b\n"), ("  \n", ""), ("", ""),
     ("a  b\r\nc\r\n", "a b\r\nc\r\n"), ("ok\n", "ok\n")],
)
def test_txt_chunk_keeps_the_final_line_break(text, expected):
    seen = []
    out = txt_chunk(text, 1, lambda t, line, field: seen.append(t) or strip(t, line, field))
    assert "".join(out.parts) == expected and out.modified == (expected != text)
    assert not seen[0].endswith("\n") or text.endswith("\n\n")  # the cleaners never see the final line break
    crlf = txt_chunk("a\r\nb\r\n", 1, lambda t, line, field: t.replace("\r\n", "\n"))
    assert crlf.parts == ["a\nb\n"]  # line breaks normalised by a cleaner: the final one follows


def _layout(header: str, columns=("text",), delimiter=","):
    names = parse_header(header, delimiter)
    idx = tuple(names.index(c) for c in columns if c in names)
    return CsvLayout(delimiter, idx, tuple(c for c in columns if c in names), len(names))


def test_csv_unchanged_rows_verbatim_changed_rows_requoted_embedded_newlines():
    layout = _layout("id,text,note\n")
    body = (
        '1,"plain",x\r\n'
        '2,"two  spaces, and ""quotes""\nover two lines",y\r\n'
        "3,already fine,\"z\"\n"
        "\n"
        "4,no  quotes,w"
    )
    out = csv_chunk(body, 2, squeeze, layout, "keep")
    result = "".join(out.parts)
    assert result == (
        '1,"plain",x\r\n'
        '2,"two spaces, and ""quotes""\nover two lines",y\r\n'
        '3,already fine,"z"\n'
        "\n"
        "4,no quotes,w"
    )
    assert out.records == 4 and not out.errors


def test_csv_malformed_rows_and_missing_column():
    layout = _layout("id,text\n")
    out = csv_chunk('1,a  b\n2,too,many\n3,"ok  "\n', 2, squeeze, layout, "keep")
    assert "".join(out.parts) == '1,a b\n2,too,many\n3,ok \n'
    assert out.errors == [(3, "malformed CSV row (expected 2 fields, got 3)")]
    skipped = csv_chunk('1,a  b\n2,too,many\n', 2, squeeze, layout, "skip")
    assert "".join(skipped.parts) == "1,a b\n"
    with pytest.raises(FailRun):
        csv_chunk('2,too,many\n', 2, squeeze, layout, "fail")
    nothing = _layout("id,body\n")
    out = csv_chunk("1,a  b\n", 2, squeeze, nothing, "keep")
    assert "".join(out.parts) == "1,a  b\n" and out.missing == 1


def test_tsv_layout_and_column_by_name():
    layout = _layout("title\ttext\n", columns=("text", "title"), delimiter="\t")
    out = csv_chunk("A  b\tc  d\n", 2, squeeze, layout, "keep")
    assert "".join(out.parts) == "A b\tc d\n"


# -- atomic output ------------------------------------------------------------------


def _leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_atomic_output_appears_only_on_commit(tmp_path):
    target = tmp_path / "deep" / "out.txt"
    out = AtomicOutput(target)
    out.write(b"hello")
    assert not target.exists() and len(_leftovers(target.parent)) == 1
    out.commit()
    assert target.read_bytes() == b"hello" and _leftovers(target.parent) == []


def test_atomic_output_abort_and_exception_leave_nothing(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), AtomicOutput(target) as out:
        out.write(b"new")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old" and _leftovers(tmp_path) == []
    dangling = AtomicOutput(tmp_path / "x.txt")
    dangling.write(b"x")
    cleanup_temporaries()
    assert _leftovers(tmp_path) == []


def test_atomic_output_backup_and_permissions(tmp_path):
    target = tmp_path / "doc.txt"
    target.write_bytes(b"original")
    os.chmod(target, 0o640)
    with AtomicOutput(target, mode_from=target, backup=tmp_path / "doc.txt.bak") as out:
        out.write(b"cleaned")
    assert target.read_bytes() == b"cleaned"
    assert (tmp_path / "doc.txt.bak").read_bytes() == b"original"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize(("suffix", "opener"), [(".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)])
def test_atomic_output_compresses(tmp_path, suffix, opener):
    target = tmp_path / f"a.txt{suffix}"
    compression = detect(target)[1]
    with AtomicOutput(target, compression) as out:
        out.write("café\n".encode())
    with opener(target, "rb") as handle:
        assert handle.read() == "café\n".encode()


def test_atomic_output_without_fsync_still_appears_only_on_commit(tmp_path):
    target = tmp_path / "fast.txt"
    out = AtomicOutput(target, durable=False)
    out.write(b"data")
    assert not target.exists()
    out.commit()
    assert target.read_bytes() == b"data" and _leftovers(tmp_path) == []


# -- records that do not decode (issue 10 item 4) ----------------------------------------------------

_record_lines = st.lists(
    st.one_of(
        st.text(max_size=20).map(lambda t: json.dumps({"text": t + "  x"}).encode()),  # good records to clean
        st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")),  # anything, often not UTF-8
    ),
    max_size=12,
)


def _spaces(text: str, line: int, field: str | None) -> str:
    return text.replace("  ", " ")


@given(_record_lines)
def test_undecodable_jsonl_records_are_kept_byte_for_byte_or_skipped_and_the_rest_cleaned(lines):
    body = b"".join(line + b"\n" for line in lines)
    try:
        body.decode("utf-8")
        return  # (decode_records is only for chunks that do not decode)
    except UnicodeDecodeError:
        pass
    text, undecodable = decode_records(body, "utf-8", 100)
    expected_keep, expected_skip, bad = [], [], []
    for number, line in enumerate(lines, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
            expected_keep.append(line + b"\n")
            continue
        plain = jsonl_chunk(line.decode("utf-8") + "\n", number, _spaces, ("text",), "keep")
        cleaned = "".join(plain.parts).encode("utf-8", "backslashreplace")
        expected_keep.append(cleaned)
        if not plain.errors:
            expected_skip.append(cleaned)
    for policy, expected in (("keep", expected_keep), ("skip", expected_skip)):
        out = jsonl_chunk(text, 1, _spaces, ("text",), policy, undecodable)
        assert "".join(out.parts).encode("utf-8", KEEP_BYTES) == b"".join(expected)
        assert [line for line, message in out.errors if message.startswith("invalid utf-8 at byte ")] == bad


def test_undecodable_csv_rows_name_their_line_and_byte():
    body = b'1,"a\xff\nb"\n2,c  d\n'
    text, undecodable = decode_records(body, "utf-8", 8)
    layout = CsvLayout(",", (1,), ("text",), 2)
    out = csv_chunk(text, 2, _spaces, layout, "keep", undecodable)
    assert out.errors == [(2, "invalid utf-8 at byte 12: invalid start byte")]
    assert "".join(out.parts).encode("utf-8", KEEP_BYTES) == b'1,"a\xff\nb"\n2,c d\n'
