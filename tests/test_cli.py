"""End-to-end tests of the installed ``newsclean`` command, run in subprocesses on real files.

Most tests use ``--only whitespace`` so the expected output does not depend on
which other cleaners exist; third-party plugins are switched off with
``NEWSCLEAN_LOAD_PLUGINS=""`` except where a test installs its own.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsclean
from newsclean.io.atomic import TEMP_SUFFIX

DIRTY = "a   b  \n\n\n\nc "
CLEAN = "a b\n\nc"
_SCRIPT = shutil.which("newsclean", path=os.path.dirname(sys.executable))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "newsclean"]


def run(*args, cwd=None, input=None, env=None, timeout=60):
    full_env = {**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    return subprocess.run(
        [*COMMAND, *map(str, args)],
        cwd=cwd,
        input=input.encode() if isinstance(input, str) else input,
        capture_output=True,
        env=full_env,
        timeout=timeout,
    )


def jl(*records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


# -- basics -------------------------------------------------------------------------


def test_help_version_and_module_entry_point():
    result = run("--help")
    assert result.returncode == 0
    out = result.stdout.decode()
    for text in ("usage: newsclean [OPTIONS] [PATH ...]", "examples:", "exit status:", "--in-place", "--on-error",
                 "130  interrupted", "[tool.newsclean]"):
        assert text in out
    result = subprocess.run([sys.executable, "-m", "newsclean", "--version"], capture_output=True, timeout=60)
    assert result.returncode == 0 and result.stdout.decode().strip() == f"newsclean {newsclean.__version__}"


def test_cleaners_subcommand_list_flag_and_json():
    table = run("cleaners")
    assert table.returncode == 0
    lines = table.stdout.decode().splitlines()
    assert lines[0].split() == ["NAME", "DEFAULT", "ORDER", "PLUGIN", "PACKAGE", "API", "DESCRIPTION"]
    row = next(line for line in lines if line.startswith("whitespace "))
    assert row.split()[:7] == ["whitespace", "on", "900", "builtins", "newsclean", newsclean.__version__, "1"]
    assert "Collapse runs" in row
    assert any("--set whitespace.max_blank_lines=1" in line for line in lines)
    assert run("--list").stdout == table.stdout
    data = json.loads(run("cleaners", "--json").stdout)
    entry = next(c for c in data["cleaners"] if c["name"] == "whitespace")
    assert entry["default_enabled"] is True and entry["options"]["max_blank_lines"]["default"] == 1
    assert data["failures"] == []


def test_stdin_to_stdout_pipe_summary_and_quiet():
    result = run("--only", "whitespace", input=DIRTY)
    assert result.returncode == 0 and result.stdout.decode() == CLEAN
    err = result.stderr.decode()
    assert "1 document(s), 1 changed" in err and "MB/s" in err and "whitespace" in err
    assert "\r" not in err  # no progress bar when stderr is not a terminal
    quiet = run("--only", "whitespace", "-q", "-", input=DIRTY)
    assert quiet.stdout.decode() == CLEAN and quiet.stderr == b""


def test_default_pipeline_matches_the_library():
    text = "Caf\u00e9   and &amp; \u201cquotes\u201d  \n\n\n\nend "
    result = run("-q", input=text)
    assert result.returncode == 0
    assert result.stdout.decode() == newsclean.Pipeline.default().clean(text)


def test_jsonl_from_stdin_fields_and_records_without_the_field():
    records = [{"id": 1, "title": "T  t", "text": DIRTY, "x": "é"}, {"id": 2, "other": 1}, {"id": 3, "text": 4}]
    result = run("--only", "whitespace", "-f", "jsonl", "--field", "title", "--field", "text", input=jl(*records))
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert lines[0] == json.dumps({"id": 1, "title": "T t", "text": CLEAN, "x": "é"}, ensure_ascii=False)
    assert lines[1:] == ['{"id": 2, "other": 1}', '{"id": 3, "text": 4}']
    assert "2 record(s) without a field to clean" in result.stderr.decode()


# -- formats, output modes ----------------------------------------------------------


def _make_corpus(root: Path) -> None:
    (root / "news" / "deep").mkdir(parents=True)
    (root / "news" / "a.txt").write_text(DIRTY)
    (root / "news" / "b.jsonl").write_text(jl({"text": DIRTY, "n": 1}, {"text": "ok", "n": 2}))
    (root / "news" / "deep" / "c.csv").write_text('id,text\n1,"x  y\nz"\n2,plain\n')
    (root / "news" / "deep" / "d.tsv").write_text("text\tid\nq  r\t1\n")
    with gzip.open(root / "news" / "e.txt.gz", "wt") as handle:
        handle.write(DIRTY)
    with bz2.open(root / "news" / "deep" / "f.jsonl.bz2", "wt") as handle:
        handle.write(jl({"text": DIRTY}))
    with lzma.open(root / "news" / "g.csv.xz", "wt") as handle:
        handle.write("text\nm  n\n")
    (root / "news" / "ignored.html").write_text(DIRTY)


def test_output_folder_mirrors_tree_with_every_format_and_compression(tmp_path):
    _make_corpus(tmp_path)
    result = run("--only", "whitespace", "news", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    out = tree(tmp_path / "out")
    assert sorted(out) == ["a.txt", "b.jsonl", "deep/c.csv", "deep/d.tsv", "deep/f.jsonl.bz2", "e.txt.gz", "g.csv.xz"]
    assert out["a.txt"] == CLEAN.encode()
    assert out["b.jsonl"].decode() == jl({"text": CLEAN, "n": 1}, {"text": "ok", "n": 2})
    assert out["deep/c.csv"] == b'id,text\n1,"x y\nz"\n2,plain\n'
    assert out["deep/d.tsv"] == b"text\tid\nq r\t1\n"
    assert gzip.decompress(out["e.txt.gz"]) == CLEAN.encode()
    assert bz2.decompress(out["deep/f.jsonl.bz2"]).decode() == jl({"text": CLEAN})
    assert lzma.decompress(out["g.csv.xz"]) == b"text\nm n\n"
    assert "7 file(s)" in result.stderr.decode()


def test_glob_patterns_expanded_by_newsclean(tmp_path):
    _make_corpus(tmp_path)
    result = run("--only", "whitespace", "news/**/*.csv*", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0
    assert sorted(tree(tmp_path / "out")) == ["deep/c.csv", "g.csv.xz"]


def test_in_place_with_backup(tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY)
    (tmp_path / "b.jsonl").write_text(jl({"text": DIRTY}))
    result = run("--only", "whitespace", "--in-place", "--backup", ".orig", "a.txt", "b.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "a.txt").read_text() == CLEAN and (tmp_path / "a.txt.orig").read_text() == DIRTY
    assert (tmp_path / "b.jsonl").read_text() == jl({"text": CLEAN})
    assert (tmp_path / "b.jsonl.orig").read_text() == jl({"text": DIRTY})
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["news", "-o", "news/cleaned"], "is inside input folder"),
        (["news/a.txt", "-o", "news"], "is an input; refusing to overwrite it"),
        (["news/a.txt", "news/b.jsonl"], "several inputs"),
        (["news/a.txt", "--backup", ".bak"], "--backup needs --in-place"),
        (["news", "--in-place", "-o", "x"], "choose one of --in-place and -o/--output"),
        (["--disable", "whitespac", "news/a.txt"], "unknown cleaner 'whitespac' (did you mean 'whitespace'?)"),
        (["--set", "whitespace.max_blank_lines=lots", "news/a.txt"], "expects int"),
        (["--set", "nonsense", "news/a.txt"], "CLEANER.OPTION=VALUE"),
        (["--config", "missing.toml", "news/a.txt"], "does not exist"),
        (["--frobnicate"], "unrecognized arguments"),
        (["--jobs", "x", "news/a.txt"], "invalid number of jobs"),
        (["--max-doc-size", "lots", "news/a.txt"], "invalid size"),
        (["--diff", "-o", "out", "news/a.txt"], "writes nothing"),
        (["-", "--in-place"], "cannot clean standard input in place"),
    ],
)
def test_usage_errors_exit_2_with_one_line_and_write_nothing(tmp_path, args, message):
    _make_corpus(tmp_path)
    before = tree(tmp_path)
    result = run(*args, cwd=tmp_path, input="")
    assert result.returncode == 2, result.stderr.decode()
    err = result.stderr.decode()
    assert message in err and "Traceback" not in err
    assert "newsclean: error:" in err
    assert tree(tmp_path) == before


def test_jobs_2_output_is_identical_to_jobs_1_and_in_input_order(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    big = []
    for i in range(3000):
        big.append({"n": i, "text": f"Story {i}  has   spaces\n\n\n\nand more {i} " if i % 3 else f"clean {i}"})
    (src / "big.jsonl").write_text(jl(*big)[:-1] + "\n{not json\n" + jl({"n": 3000, "text": "tail  "}))
    for i in range(30):
        (src / f"doc{i:03}.txt").write_text(DIRTY * (i + 1))
    (src / "rows.csv").write_text("text\n" + "".join(f'"r  {i}\nx"\n' for i in range(500)))
    outputs = {}
    for jobs in ("1", "2"):
        result = run("--only", "whitespace", "src", "-o", f"out{jobs}", "--jobs", jobs, "--stats", f"s{jobs}.json",
                     "--chunk-size", "8K", cwd=tmp_path)
        assert result.returncode == 1  # the malformed line
        assert "src/big.jsonl:3001: malformed JSON" in result.stderr.decode()
        outputs[jobs] = tree(tmp_path / f"out{jobs}")
    assert outputs["1"] == outputs["2"]
    lines = outputs["2"]["big.jsonl"].decode().splitlines()
    assert [json.loads(line)["n"] for line in lines if line.startswith('{"n"')] == list(range(3001))
    s1 = json.loads((tmp_path / "s1.json").read_text())
    s2 = json.loads((tmp_path / "s2.json").read_text())
    assert s2["jobs"] == 2 and s1["jobs"] == 1
    for key in ("files", "records", "documents", "documents_changed", "errors", "bytes_in", "bytes_out", "cleaners"):
        assert s1[key] == s2[key], key


def test_diff_and_colour(tmp_path):
    (tmp_path / "a.txt").write_text("keep\ntwo  spaces\n")
    (tmp_path / "b.txt").write_text("fine")
    result = run("--only", "whitespace", "--diff", "a.txt", "b.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode() == (
        "--- a.txt\n+++ a.txt\n@@ -1,2 +1,2 @@\n keep\n-two [- -]spaces\n+two spaces\n"
    )
    assert (tmp_path / "a.txt").read_text() == "keep\ntwo  spaces\n"  # nothing written
    coloured = run("--only", "whitespace", "--diff", "--color", "always", "a.txt", cwd=tmp_path)
    assert "\x1b[31m-two \x1b[7m \x1b[27mspaces\x1b[0m" in coloured.stdout.decode()


def test_diff_shows_invisible_characters_and_the_paths_as_given(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Prices\u00a0rose.\nSoft\u00adhyphen and zero\u200bwidth.\n")
    result = run("--only", "unicode", "--diff", "news/a.txt", cwd=tmp_path)
    assert result.stdout.decode().splitlines() == [
        "--- news/a.txt", "+++ news/a.txt", "@@ -1,2 +1,2 @@",
        "-Prices[-⟨NBSP⟩-]rose.", "-Soft[-⟨SHY⟩-]hyphen and zero[-⟨ZWSP⟩-]width.",
        "+Prices{+ +}rose.", "+Softhyphen and zerowidth.",
    ]


def test_explain_lists_every_edit_with_its_place_in_the_input_then_totals(tmp_path):
    (tmp_path / "a.jsonl").write_text(jl({"text": "fine"}, {"text": "x  y\nAdvertisement\nz &amp; w  "}))
    result = run("--only", "html,boilerplate,whitespace", "--explain", "a.jsonl", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert lines[:6] == [  # line:column in the input, cleaner, category, 24 characters of context
        "a.jsonl:2 [text]: 4 edits (html 1, boilerplate 1, whitespace 2)",
        "  1:3   whitespace   spaces         x [- -]y⏎Advertisement⏎z &amp; …",
        "  2:1   boilerplate  advertisement  x  y⏎[-Advertisement⏎-]z &amp; w    rule en.toml#1",
        "  3:3   html         entity         x  y⏎Advertisement⏎z [-&amp;-]{+&+} w  ",
        "  3:10  whitespace   document-ends  …⏎Advertisement⏎z &amp; w[-  -]",
        "totals per cleaner (characters: net per document)",
    ]
    assert [line.split() for line in lines[6:10]] == [
        ["cleaner", "docs", "changed", "changes", "chars", "removed", "chars", "added"],
        ["html", "1", "1", "4", "0"], ["boilerplate", "1", "1", "14", "0"], ["whitespace", "1", "2", "3", "0"],
    ]
    assert [line.split() for line in lines[10:]] == [
        ["totals", "per", "category"], ["html/entity", "1"], ["boilerplate/advertisement", "1"],
        ["whitespace/document-ends", "1"], ["whitespace/spaces", "1"],
    ]
    coloured = run("--only", "whitespace", "--explain", "--color", "always", "a.jsonl", cwd=tmp_path)
    assert "x \x1b[31m\x1b[7m \x1b[0my" in coloured.stdout.decode()


def _table(text: str, header: str) -> dict[str, list[int]]:
    """The rows of the per-cleaner table under the line starting with ``header``: name -> numbers."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(header)) + 1
    rows = {}
    for line in lines[start:]:
        cells = line.split()
        if len(cells) < 2 or not cells[1].replace(",", "").isdigit():
            break
        rows[cells[0]] = [int(cell.replace(",", "")) for cell in cells[1:]]
    return rows


def test_explain_diff_stats_and_normal_runs_report_the_same_per_cleaner_numbers(tmp_path):
    """One convention everywhere: per cleaner, the documents it changed and the characters it removed
    and added *net per document*; the summary table, --explain's totals and --stats agree, with
    --jobs 1 and 2 (gross counting would give quotes 90 removed and 90 + 10 added here)."""
    records = [{"text": f"Story {i}:  it&#8217;s\u00a0here.\r\nAdvertisement\n\n\n\n“Quote” {i}  "
                + ("a \u2014 b" if i % 3 == 0 else "")} for i in range(30)]
    (tmp_path / "a.jsonl").write_text(jl(*records, {"text": "clean"}) * 10)
    common = ["a.jsonl", "--chunk-size", "4K", "--set", "quotes.ascii_dashes=true"]  # "—" -> "--": one added
    seen = []
    for jobs in ("1", "2"):
        normal = run(*common, "--jobs", jobs, "-o", f"out{jobs}", cwd=tmp_path)
        stats = run(*common, "--jobs", jobs, "-o", f"stats{jobs}", "--stats", f"stats{jobs}.json", cwd=tmp_path)
        explain = run(*common, "--jobs", jobs, "--explain", "--stats", f"explain{jobs}.json", cwd=tmp_path)
        diff = run(*common, "--jobs", jobs, "--diff", "--stats", f"diff{jobs}.json", cwd=tmp_path)
        assert {normal.returncode, stats.returncode, explain.returncode, diff.returncode} == {0}
        files = [json.loads((tmp_path / f"{name}{jobs}.json").read_text()) for name in ("stats", "explain", "diff")]
        assert {f["jobs"] for f in files} == {int(jobs)}
        counted = files[0]["cleaners"]
        assert files[1]["cleaners"] == files[2]["cleaners"] == counted
        summary = {name: [s["documents_changed"], s["chars_removed"], s["chars_added"]] for name, s in counted.items()}
        for done in (normal, stats, explain, diff):  # the closing summary on stderr
            assert _table(done.stderr.decode(), "cleaner ") == summary
        totals = _table(explain.stdout.decode().split("totals per cleaner", 1)[1], "cleaner ")
        assert totals == {name: [s["documents_changed"], sum(s["categories"].values()), s["chars_removed"],
                                 s["chars_added"]] for name, s in counted.items() if s["documents_changed"]}
        seen.append(counted)
    assert seen[0] == seen[1]
    assert seen[0]["boilerplate"]["categories"] == {"advertisement": 300}
    assert seen[0]["quotes"] == {"documents_changed": 300, "chars_removed": 0, "chars_added": 100,
                                 "categories": {"dash": 100, "quote": 900}}  # “ ” and the ’ html decoded


def test_stats_file(tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY)
    result = run("--only", "whitespace", "a.txt", "--stats", "stats.json", "-q", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == b""
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["newsclean"] == newsclean.__version__ and stats["pipeline"] == ["whitespace"]
    assert stats["documents"] == 1 and stats["documents_changed"] == 1 and stats["errors"] == 0
    assert stats["cleaners"]["whitespace"] == {
        "documents_changed": 1, "chars_removed": len(DIRTY) - len(CLEAN), "chars_added": 0,
        "categories": {"blank-lines": 1, "document-ends": 1, "line-ends": 1, "spaces": 1},
    }
    assert stats["bytes_in"] == len(DIRTY) and stats["bytes_out"] == len(CLEAN)


# -- configuration ------------------------------------------------------------------


def test_pyproject_config_file_and_command_line_precedence(tmp_path):
    (tmp_path / "a.txt").write_text("x\n\n\n\ny  z")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsclean]\nonly = ["whitespace"]\n[tool.newsclean.options.whitespace]\nmax_blank_lines = 2\n'
    )
    assert run("a.txt", "-q", cwd=tmp_path).stdout == b"x\n\n\ny z"
    assert run("a.txt", "-q", "--set", "whitespace.max_blank_lines=0", cwd=tmp_path).stdout == b"x\ny z"
    (tmp_path / "nc.toml").write_text('only = ["whitespace"]\n')
    assert run("a.txt", "-q", "--config", "nc.toml", cwd=tmp_path).stdout == b"x\n\ny z"
    assert run("a.txt", "-q", "--disable", "whitespace", cwd=tmp_path).stdout == b"x\n\n\n\ny  z"
    (tmp_path / "pyproject.toml").write_text("[tool.newsclean]\nonly = [\"nope\"]\n")
    bad = run("a.txt", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown cleaner 'nope'" in bad.stderr.decode()
    assert "pyproject.toml" in bad.stderr.decode()
    assert run("a.txt", "-q", "--no-config", "--only", "whitespace", cwd=tmp_path).returncode == 0


# -- bad input ----------------------------------------------------------------------


def test_invalid_utf8_is_reported_with_offset_and_other_files_go_on(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(DIRTY)
    (tmp_path / "in" / "bad.txt").write_bytes(b"ok line\nbad \xe9 byte")
    result = run("--only", "whitespace", "in", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "newsclean: error: in/bad.txt: invalid utf-8 at byte 12 (line 2)" in err
    assert tree(tmp_path / "out") == {"good.txt": CLEAN.encode()}
    replaced = run("--only", "whitespace", "in/bad.txt", "--errors", "replace", "-q", cwd=tmp_path)
    assert replaced.returncode == 0 and replaced.stdout.decode() == "ok line\nbad \ufffd byte"
    latin = run("--only", "whitespace", "in/bad.txt", "--encoding", "latin-1", "-q", cwd=tmp_path)
    assert latin.returncode == 0 and latin.stdout.decode() == "ok line\nbad é byte"


def test_binary_empty_unreadable_and_oversized_inputs(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "nul.txt").write_bytes(b"abc\x00def")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "broken.txt.gz").write_bytes(b"not gzip at all")
    (tmp_path / "in" / "huge.txt").write_text("y" * 3000)
    (tmp_path / "in" / "fine.txt").write_text(DIRTY)
    (tmp_path / "in" / "link.txt").symlink_to(tmp_path / "nowhere.txt")
    result = run("--only", "whitespace", "in", "in/link.txt", "-o", "out", "--max-doc-size", "2K", cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "in/nul.txt: binary file (contains NUL bytes); skipped" in err
    assert "in/broken.txt.gz: cannot read:" in err
    assert "in/huge.txt: plain-text document is larger than the 2,048-byte limit" in err
    assert "in/link.txt: broken symbolic link" in err
    assert tree(tmp_path / "out") == {"empty.txt": b"", "fine.txt": CLEAN.encode()}


@pytest.mark.parametrize("policy", ["keep", "skip", "fail"])
def test_malformed_jsonl_and_csv_records(tmp_path, policy):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(jl({"text": "x  1"}) + "{oops\n" + jl({"text": "x  3"}))
    (tmp_path / "in" / "b.csv").write_text('id,text\n1,"y  1"\n2,too,many\n3,"y  3"\n')
    result = run("--only", "whitespace", "in", "-o", "out", "--on-error", policy, "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "in/a.jsonl:2: malformed JSON" in err
    out = tree(tmp_path / "out") if (tmp_path / "out").exists() else {}
    if policy == "keep":
        assert "in/b.csv:3: malformed CSV row (expected 2 fields, got 3)" in err
        assert out["a.jsonl"].decode() == jl({"text": "x 1"}) + "{oops\n" + jl({"text": "x 3"})
        assert out["b.csv"] == b'id,text\n1,y 1\n2,too,many\n3,y 3\n'
    elif policy == "skip":
        assert out["a.jsonl"].decode() == jl({"text": "x 1"}, {"text": "x 3"})
        assert out["b.csv"] == b"id,text\n1,y 1\n3,y 3\n"
    else:
        assert out == {} and "b.csv" not in err  # stopped at the first error
    assert temporaries(tmp_path) == []


_PLUGIN = '''
from newsclean import Cleaner, hookimpl


class BoomCleaner(Cleaner):
    name = "boom"
    description = "Raises on BOOM (test plugin)."
    order = 850

    def clean(self, text):
        if "BOOM" in text:
            raise RuntimeError("kaboom")
        return text


@hookimpl
def newsclean_register_cleaners(register):
    register(BoomCleaner)
'''


def test_a_cleaner_raising_is_reported_and_the_document_kept(tmp_path):
    site = tmp_path / "site"
    info = site / "boom_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (site / "boom_plugin.py").write_text(_PLUGIN)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: boom-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[newsclean]\nboom = boom_plugin\n")
    env = {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": "boom-plugin"}
    listing = run("cleaners", env=env)
    assert any(line.startswith("boom ") and "boom-plugin 1.0" in line for line in listing.stdout.decode().splitlines())
    (tmp_path / "a.jsonl").write_text(jl({"text": "fine  1"}, {"text": "BOOM  here"}, {"text": "fine  3"}))
    for jobs in ("1", "2"):
        result = run("--only", "boom,whitespace", "a.jsonl", "--jobs", jobs, cwd=tmp_path, env=env)
        assert result.returncode == 1
        assert "a.jsonl:2: cleaner 'boom' failed (field 'text'): RuntimeError: kaboom; document kept unchanged" in (
            result.stderr.decode()
        )
        assert result.stdout.decode() == jl({"text": "fine 1"}, {"text": "BOOM  here"}, {"text": "fine 3"})


def test_ctrl_c_leaves_no_temporary_or_partial_output(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a_small.txt").write_text(DIRTY)
    line = json.dumps({"text": "word  " * 200 + "\n\n\n\nend "}) + "\n"
    (src / "b_big.jsonl").write_text(line * 40_000)  # ~50 MB: over two seconds for the default pipeline
    out = tmp_path / "out"
    env = {**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}
    proc = subprocess.Popen(
        [*COMMAND, str(src), "-o", str(out), "--jobs", "2", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "a_small.txt").exists() and temporaries(tmp_path):
            break
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.fail(f"finished before it could be interrupted: {proc.returncode} {proc.communicate()}")
    assert temporaries(tmp_path), "the big file's temporary output never appeared"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err.decode()
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    assert temporaries(tmp_path) == []
    assert sorted(tree(out)) == ["a_small.txt"]  # finished file kept, unfinished one never appears


def test_progress_bar_only_on_a_terminal(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    (tmp_path / "a.jsonl").write_text(jl(*({"text": f"row  {i}"} for i in range(2000))))
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}
    proc = subprocess.Popen([*COMMAND, "--only", "whitespace", "a.jsonl", "-o", "out"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=terminal, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            data = os.read(controller, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(controller)
    shown = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0
    assert "newsclean:" in shown and "B/s" in shown
    quiet = run("--only", "whitespace", "a.jsonl", "-o", "out2", cwd=tmp_path)
    assert "%|" not in quiet.stderr.decode() and "\r" not in quiet.stderr.decode()


def test_a_broken_plugin_is_a_one_line_warning_or_a_usage_error_in_strict_mode(tmp_path):
    site = tmp_path / "site"
    info = site / "broken_plugin-0.1.dist-info"
    info.mkdir(parents=True)
    (site / "broken_plugin.py").write_text("raise ImportError('missing dependency frobnitz')\n")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[newsclean]\nbroken = broken_plugin\n")
    env = {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": "broken-plugin"}
    listing = run("cleaners", env=env)
    assert listing.returncode == 0
    assert "not loaded: newsclean plugin 'broken'" in listing.stdout.decode()
    cleaned = run("--only", "whitespace", input=DIRTY, env=env)
    assert cleaned.returncode == 0 and cleaned.stdout.decode() == CLEAN
    warning = [line for line in cleaned.stderr.decode().splitlines() if "broken" in line]
    assert len(warning) == 1 and warning[0].startswith("newsclean: warning:") and "frobnitz" in warning[0]
    strict = run("--only", "whitespace", input=DIRTY, env={**env, "NEWSCLEAN_STRICT_PLUGINS": "1"})
    assert strict.returncode == 2 and "newsclean: error:" in strict.stderr.decode()
    assert "Traceback" not in strict.stderr.decode() and strict.stdout == b""


def test_many_problems_are_capped_on_stderr_but_all_counted(tmp_path):
    (tmp_path / "a.jsonl").write_text("{bad\n" * 60)
    result = run("--only", "whitespace", "a.jsonl", "--stats", "s.json", cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode().splitlines()
    assert sum(line.startswith("newsclean: error: a.jsonl:") for line in err) == 50
    assert "newsclean: … and 10 more problem(s) not shown (see the --stats file)" in err
    stats = json.loads((tmp_path / "s.json").read_text())
    assert stats["errors"] == 60 and len(stats["problems"]) == 60
    assert result.stdout.decode() == "{bad\n" * 60  # kept unchanged
