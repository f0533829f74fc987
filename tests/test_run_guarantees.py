"""Issue 10's file-run guarantees, end to end in subprocesses: backups are never overwritten (item 1),
records that do not decode are record problems (item 4), the summary counts what was written (item 4),
write failures (item 13) and requested fields that records lack (item 15)."""

from __future__ import annotations

import json
import os

from test_cli import jl, run, tree

# -- item 1: in-place backups ----------------------------------------------------------------------


def test_a_backup_is_never_overwritten_and_a_file_with_one_is_not_cleaned_again(tmp_path):
    (tmp_path / "a.txt").write_text("two  spaces\n")
    (tmp_path / "b.txt").write_text("three   spaces\n")
    first = run("--in-place", "--backup", ".orig", "a.txt", cwd=tmp_path)
    assert first.returncode == 0, first.stderr.decode()
    assert (tmp_path / "a.txt.orig").read_text() == "two  spaces\n"
    # the file is edited again after the run: a second run must not replace the backup of the original
    (tmp_path / "a.txt").write_text("new  text\n")
    second = run("--in-place", "--backup", ".orig", "a.txt", "b.txt", cwd=tmp_path)
    err = second.stderr.decode()
    assert second.returncode == 0, err
    assert "newsclean: warning: a.txt: not cleaned: its backup a.txt.orig exists (an earlier run cleaned it)" in err
    assert (tmp_path / "a.txt.orig").read_text() == "two  spaces\n"
    assert (tmp_path / "a.txt").read_text() == "new  text\n"
    assert (tmp_path / "b.txt").read_text() == "three spaces\n"
    assert "1 file(s)" in err and "1 already cleaned" in err


def test_a_backup_made_just_before_a_kill_is_kept_and_the_file_cleaned(tmp_path):
    # killed between making the backup (a hard link, or a copy) and renaming the output over the file
    for how in ("link", "copy"):
        (tmp_path / "a.txt").write_text("two  spaces\n")
        backup = tmp_path / "a.txt.orig"
        backup.unlink(missing_ok=True)
        if how == "link":
            os.link(tmp_path / "a.txt", backup)
        else:
            backup.write_text("two  spaces\n")
        result = run("--in-place", "--backup", ".orig", "a.txt", cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode()
        assert (tmp_path / "a.txt").read_text() == "two spaces\n", how
        assert backup.read_text() == "two  spaces\n", how


# -- item 4: record-level decode errors; counts equal what was written -------------------------------


def test_an_undecodable_jsonl_record_is_a_record_problem_and_the_rest_is_cleaned(tmp_path):
    good1, good3 = b'{"text": "one  a"}\n', b'{"text": "three  c"}\n'
    bad = b'{"text": "two \xff b"}\n'
    (tmp_path / "a.jsonl").write_bytes(good1 + bad + good3)
    keep = run("--only", "whitespace", "a.jsonl", cwd=tmp_path)
    err = keep.stderr.decode()
    assert keep.returncode == 1, err
    assert f"a.jsonl:2: invalid utf-8 at byte {len(good1) + 14}" in err
    assert keep.stdout == b'{"text": "one a"}\n' + bad + b'{"text": "three c"}\n'  # kept byte for byte
    skip = run("--only", "whitespace", "--on-error", "skip", "a.jsonl", cwd=tmp_path)
    assert skip.returncode == 1 and skip.stdout == b'{"text": "one a"}\n{"text": "three c"}\n'
    fail = run("--only", "whitespace", "--on-error", "fail", "a.jsonl", "-o", "out", cwd=tmp_path)
    assert fail.returncode == 1 and not (tmp_path / "out" / "a.jsonl").exists()


def test_an_undecodable_csv_row_is_a_record_problem_and_the_rest_is_cleaned(tmp_path):
    (tmp_path / "a.csv").write_bytes(b'id,text\n1,one  a\n2,"two \xff\nb"\n3,three  c\n')
    keep = run("--only", "whitespace", "a.csv", cwd=tmp_path)
    err = keep.stderr.decode()
    assert keep.returncode == 1, err
    assert "a.csv:3: invalid utf-8 at byte 24" in err
    assert keep.stdout == b'id,text\n1,one a\n2,"two \xff\nb"\n3,three c\n'
    skip = run("--only", "whitespace", "--on-error", "skip", "a.csv", cwd=tmp_path)
    assert skip.returncode == 1 and skip.stdout == b"id,text\n1,one a\n3,three c\n"


def test_a_nul_byte_early_in_jsonl_or_csv_is_a_record_problem_not_a_binary_file(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(b'{"text": "x\x00y"}\n{"text": "two  b"}\n')
    result = run("--only", "whitespace", "a.jsonl", cwd=tmp_path)
    err = result.stderr.decode()
    assert "binary" not in err
    assert result.returncode == 1 and "a.jsonl:1: malformed JSON" in err
    assert result.stdout == b'{"text": "x\x00y"}\n{"text": "two b"}\n'
    (tmp_path / "a.csv").write_bytes(b'id,text\n1,"x\x00y"\n2,two  b\n')
    result = run("--only", "whitespace", "a.csv", cwd=tmp_path)
    assert "binary" not in result.stderr.decode()
    assert result.stdout.endswith(b"2,two b\n")


def test_a_skipped_file_counts_nothing_and_the_summary_counts_what_was_written(tmp_path):
    (tmp_path / "in").mkdir()
    many = [{"text": f"record  {n}"} for n in range(2000)]
    (tmp_path / "in" / "a-good.jsonl").write_text(jl(*many))
    # b: many records cleaned in byte ranges, then one over --max-doc-size: the whole file is skipped
    (tmp_path / "in" / "b-late-failure.jsonl").write_text(jl(*many, {"text": "x" * 200_000}))
    (tmp_path / "in" / "c-bad-bytes.txt").write_bytes(b"caf\xe9  au lait\n")
    result = run("in", "-o", "out", "--chunk-size", "4096", "--max-doc-size", "100000", "--jobs", "1",
                 "--stats", "stats.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr.decode()
    written = tree(tmp_path / "out")
    assert sorted(written) == ["a-good.jsonl"]
    stats = json.loads((tmp_path / "stats.json").read_text())
    lines = written["a-good.jsonl"].decode().splitlines()
    assert stats["records"] == stats["documents"] == len(lines) == 2000
    assert stats["documents_changed"] == 2000
    assert stats["bytes_out"] == sum(map(len, written.values()))
    assert stats["cleaners"]["whitespace"]["documents_changed"] == 2000
    assert stats["files"] == 1 and stats["files_failed"] == 2


# -- item 15: requested fields that records do not have --------------------------------------------


def test_a_field_no_record_has_is_an_error_naming_the_fields_that_exist(tmp_path):
    (tmp_path / "a.jsonl").write_text(jl({"id": 1, "text": "two  spaces"}, {"id": 2, "title": "x"}))
    result = run("--field", "body", "a.jsonl", cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "a.jsonl: no record has a string field 'body' (fields found: id, text, title); written unchanged" in err
    assert err.count("no record has") == 1  # once per file
    assert result.stdout == (tmp_path / "a.jsonl").read_bytes()


def test_records_without_a_requested_field_are_a_warning_once_per_file(tmp_path):
    (tmp_path / "a.jsonl").write_text(jl({"body": "two  spaces"}, {"text": "x  y"}, {"text": "z"}, [1, 2]))
    result = run("--field", "body", "a.jsonl", cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert ("newsclean: warning: a.jsonl: 3 of 4 record(s) have no string field 'body' (fields found: text); "
            "written unchanged") in err
    assert err.count("have no string field") == 1
    assert result.stdout.decode().splitlines()[0] == '{"body": "two spaces"}'


def test_a_csv_column_the_header_lacks_is_an_error_naming_the_columns(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\n1,two  spaces\n")
    result = run("--column", "body", "a.csv", cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "a.csv:1: no column 'body' in the header (id, text); rows copied unchanged" in err
    assert result.stdout == b"id,text\n1,two  spaces\n"
