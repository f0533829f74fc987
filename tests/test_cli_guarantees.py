"""What the ``newsclean`` command guarantees under bad input and faults (README: "What newsclean
guarantees"), tested end to end in subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import jl, run


def install_plugin(tmp_path: Path, module: str, source: str) -> dict[str, str]:
    """Write a one-module plugin package into a fake site folder; return the environment that loads it."""
    site = tmp_path / "site"
    info = site / f"{module}-1.0.dist-info"
    info.mkdir(parents=True)
    (site / f"{module}.py").write_text(source)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[newsclean]\n{module} = {module}\n")
    return {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": module}


_NOT_STR_PLUGIN = '''
from newsclean import Cleaner, hookimpl


class Listy(Cleaner):
    name = "listy"
    description = "Returns a list for LIST and None for NONE (test plugin)."
    order = 850

    def clean(self, text):
        if "LIST" in text:
            return [text]
        if "NONE" in text:
            return None
        return text


@hookimpl
def newsclean_register_cleaners(register):
    register(Listy)
'''


def test_a_cleaner_returning_non_str_is_reported_by_name_and_the_record_kept(tmp_path):
    env = install_plugin(tmp_path, "listy_plugin", _NOT_STR_PLUGIN)
    records = [{"text": "fine  1"}, {"text": "LIST  2"}, {"text": "NONE  3"}, {"text": "fine  4"}]
    (tmp_path / "a.jsonl").write_text(jl(*records))
    for jobs in ("1", "2"):
        result = run("--only", "whitespace,listy", "a.jsonl", "--jobs", jobs, cwd=tmp_path, env=env)
        err = result.stderr.decode()
        assert result.returncode == 1, err
        assert "a.jsonl:2: cleaner 'listy' failed (field 'text'): TypeError: clean() returned list, not str" in err
        assert "a.jsonl:3: cleaner 'listy' failed (field 'text'): TypeError: clean() returned NoneType, not str" in err
        lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
        assert lines == [{"text": "fine 1"}, {"text": "LIST  2"}, {"text": "NONE  3"}, {"text": "fine 4"}]


# -- runaway cost and size limits (issue 10, items 9 and 18) --------------------------------------


def test_csv_header_with_an_unbalanced_quote_is_an_error(tmp_path):
    rows = "".join(f'{i},"some  text"\n' for i in range(20_000))
    (tmp_path / "bad.csv").write_text('id,"text\n' + rows)
    (tmp_path / "good.csv").write_text("id,text\n" + rows)
    result = run("--only", "whitespace", "bad.csv", "good.csv", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert ("bad.csv: malformed CSV header at line 1 (byte 0): a quoted field opens and never closes, so the rest "
            "of the file would be one field; file skipped") in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good.csv"]


def test_endless_input_without_a_newline_stops_at_the_size_limit(tmp_path):
    result = run("--only", "whitespace", "-f", "csv", "/dev/zero", "--max-doc-size", "4M")
    assert result.returncode == 1
    assert ("/dev/zero: record at line 1 (byte 0) is larger than the 4,194,304-byte limit; file skipped: split it, "
            "or raise the limit (--max-doc-size)") in result.stderr.decode()


def test_a_record_over_the_limit_is_reported_at_its_own_line_and_byte(tmp_path):
    head = jl(*({"text": f"row {i}"} for i in range(300)))
    (tmp_path / "a.jsonl").write_text(head + jl({"text": "x" * 5000}) + jl({"text": "after"}))
    where = f"record at line 301 (byte {len(head.encode())}) is larger than the 2,048-byte limit"
    # (The limit bounds the memory a record spanning chunks takes: small chunks make this one span them.)
    for args in (["a.jsonl"], ["a.jsonl", "--jobs", "2"], ["-f", "jsonl", "-"]):
        result = run("--only", "whitespace", *args, "--max-doc-size", "2K", "--chunk-size", "1K", cwd=tmp_path,
                     input=(tmp_path / "a.jsonl").read_bytes() if "-" in args else None)
        assert result.returncode == 1, args
        assert where in result.stderr.decode() and "(--max-doc-size)" in result.stderr.decode(), args
