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
