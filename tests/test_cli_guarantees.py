"""What the ``newsclean`` command guarantees under bad input and faults (README: "What newsclean
guarantees"), tested end to end in subprocesses."""

from __future__ import annotations

import json
import os
import random
import subprocess

from plugin_fixtures import install
from test_cli import COMMAND, jl, run

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
    (tmp_path / "site").mkdir()
    install(tmp_path / "site", "listy-plugin", plugins={"listy": "listy_plugin"},
            files={"listy_plugin.py": _NOT_STR_PLUGIN})
    env = {"PYTHONPATH": str(tmp_path / "site"), "NEWSCLEAN_LOAD_PLUGINS": "listy-plugin"}
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


# -- JSON Lines is never cleaned as text (item 5); only cleaned values change (item 6) ---------------

RECORDS = '{"text": "a  b", "n": 1e400, "m": 1E5}\n{"id": 2,"text":"c&amp;d" , "text": "e  f"}\n'
CLEANED = '{"text": "a b", "n": 1e400, "m": 1E5}\n{"id": 2,"text":"c&amp;d" , "text": "e f"}\n'


def test_jsonl_on_stdin_without_format_is_detected_plain_or_compressed():
    import bz2
    import gzip
    import lzma

    for data in (RECORDS.encode(), gzip.compress(RECORDS.encode()), bz2.compress(RECORDS.encode()),
                 lzma.compress(RECORDS.encode()), b"\xef\xbb\xbf" + RECORDS.encode()):
        result = run("-q", input=data)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().removeprefix("\ufeff") == CLEANED
    text = run("-q", input=gzip.compress(b"Plain  text.\n"))
    assert text.returncode == 0 and text.stdout == b"Plain text.\n"
    # bzip2 blocks are larger than what standard input lets us look at: --format, or a clear refusal.
    rng = random.Random(5)
    records = jl(*({"text": f"{rng.getrandbits(256):x}  {i}"} for i in range(3000))).encode()  # little redundancy
    refused = run(input=bz2.compress(records))
    assert refused.returncode == 1 and refused.stdout == b""
    assert "<stdin>: bzip2-compressed, and too little of it can be looked at to tell what it holds: give --format" \
        in refused.stderr.decode()
    given = run("-q", "-f", "jsonl", input=bz2.compress(records))
    assert given.returncode == 0 and given.stdout == records.replace(b"  ", b" ")


def test_json_files_are_cleaned_as_json_lines_or_refused(tmp_path):
    (tmp_path / "dump.json").write_text(RECORDS)
    (tmp_path / "noext").write_text(RECORDS)
    for name in ("dump.json", "noext"):
        result = run("-q", name, cwd=tmp_path)
        assert result.returncode == 0 and result.stdout.decode() == CLEANED, name
    (tmp_path / "array.json").write_text('[{"text": "a  b"},\n {"text": "c"}]\n')
    (tmp_path / "pretty.json").write_text('{\n  "text": "a  b"\n}\n')
    for name, expected in (("array.json", "a JSON array, not JSON Lines"),
                           ("pretty.json", "starts like JSON, but its first line is not a JSON object")):
        result = run(name, cwd=tmp_path)
        assert result.returncode == 1 and result.stdout == b"", name
        line = f"newsclean: error: {name}: {expected}"
        assert line in result.stderr.decode(), result.stderr
    piped = run(input='[{"text": "a  b"}]')
    assert piped.returncode == 1 and piped.stdout == b""
    assert "newsclean: error: <stdin>: a JSON array, not JSON Lines: convert it to JSON Lines" in piped.stderr.decode()
    braces = run(input="{Editor's note: this is  text}\n")
    assert braces.returncode == 1 and "give --format txt to clean it as text" in braces.stderr.decode()
    assert run("-q", "-f", "txt", input="{Editor's note:  text}\n").stdout == b"{Editor's note: text}\n"


def test_json_files_in_a_folder_are_cleaned_or_skipped_with_a_warning(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "dump.json").write_text(RECORDS)
    (tmp_path / "in" / "manifest.json").write_text('[{"file": "dump.json"}]\n')
    result = run("in", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "newsclean: warning: in/manifest.json: a JSON array, not JSON Lines" in result.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["dump.json"]
    assert (tmp_path / "out" / "dump.json").read_text() == CLEANED


def test_unsupported_compression_on_stdin_is_refused():
    result = run(input=b"(\xb5/\xfd" + b"\x00" * 20)
    assert result.returncode == 1 and result.stdout == b""
    assert "<stdin>: zstandard-compressed data: newsclean reads gzip, bzip2 and xz" in result.stderr.decode()


# -- named pipes never block a run forever (item 10) ------------------------------------------------


def test_named_pipes_in_a_folder_are_skipped_and_reported(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("a  b\n")
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    result = run("in", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0
    assert ("newsclean: warning: in/pipe.txt: a named pipe (FIFO), not a regular file; skipped (name it explicitly "
            "to read it)") in result.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt"]


def test_a_named_pipe_given_explicitly_is_read_once_written_or_reported(tmp_path):
    pipe = tmp_path / "p.jsonl"
    os.mkfifo(pipe)
    idle = run(pipe, env={"NEWSCLEAN_FIFO_WAIT": "0.2"})
    assert idle.returncode == 1
    assert f"{pipe}: cannot read: no process wrote to this named pipe within 0.2 s; skipped" in idle.stderr.decode()
    env = {**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}
    reader = subprocess.Popen([*COMMAND, "-q", str(pipe)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    with open(pipe, "w") as writer:  # blocks until the reader opened it
        writer.write(RECORDS)
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert out.decode() == CLEANED


# -- what a person sees (items 16 and 17) ---------------------------------------------------------


def test_text_output_ends_with_a_line_break_when_the_input_did(tmp_path):
    assert run("-q", input="Some  text.\n").stdout == b"Some text.\n"
    assert run("-q", input="Some  text.").stdout == b"Some text."
    assert run("-q", input=" \n\n").stdout == b""
    (tmp_path / "a.txt").write_text("keep\ntwo  spaces\n")
    diff = run("--only", "whitespace", "--diff", "a.txt", cwd=tmp_path).stdout.decode()
    assert diff.endswith("-two [- -]spaces\n+two spaces\n") and "No newline" not in diff


def test_a_closed_pipe_stops_the_run_quietly_with_141(tmp_path):
    # 20,000 records: far more than a pipe holds, so the writer meets the closed end.
    (tmp_path / "big.jsonl").write_text(jl(*({"text": f"row  {i} with some words"} for i in range(20_000))))
    env = {**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}
    for args in (["big.jsonl"], ["big.jsonl", "--jobs", "2"], ["big.jsonl", "--diff"], ["-f", "jsonl", "-"]):
        stdin = open(tmp_path / "big.jsonl", "rb") if "-" in args else subprocess.DEVNULL
        proc = subprocess.Popen([*COMMAND, *args], cwd=tmp_path, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env)
        first = proc.stdout.readline()
        proc.stdout.close()  # like `| head -1`
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 141, (args, err)
        assert first and err == b"", args
        if stdin is not subprocess.DEVNULL:
            stdin.close()


def _run_on_terminals(args, cwd, stdout_terminal: bool) -> tuple[int, str, bytes]:
    """Run with stderr (and stdout, if asked) on a pseudo-terminal; return the code, what the terminal
    showed and what stdout received otherwise."""
    import fcntl
    import pty
    import struct
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}
    out_file = open(cwd / "stdout.bin", "wb")
    proc = subprocess.Popen([*COMMAND, *args], cwd=cwd, stdout=terminal if stdout_terminal else out_file,
                            stderr=terminal, env=env)
    os.close(terminal)
    shown = []
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:
            break
        if not data:
            break
        shown.append(data)
    code = proc.wait(timeout=60)
    os.close(controller)
    out_file.close()
    return code, b"".join(shown).decode(errors="replace"), (cwd / "stdout.bin").read_bytes()


def test_the_progress_bar_never_mixes_with_text_on_a_terminal(tmp_path):
    (tmp_path / "a.jsonl").write_text(jl(*({"text": f"row  {i}"} for i in range(30_000))))
    code, shown, _ = _run_on_terminals(["--only", "whitespace", "a.jsonl", "--jobs", "1"], tmp_path, True)
    assert code == 0 and "%|" not in shown and "\r\x1b" not in shown
    lines = shown.replace("\r\n", "\n").split("\n")
    assert lines[:2] == ['{"text": "row 0"}', '{"text": "row 1"}'] and '{"text": "row 29999"}' in lines
    # The summary starts on a line of its own after text without a final line break.
    (tmp_path / "b.txt").write_text("No  final line break")
    code, shown, _ = _run_on_terminals(["b.txt"], tmp_path, True)
    assert code == 0 and "No final line break\r\n1 file(s)" in shown
    # Output redirected to a file: the bar is shown (on stderr), the file gets only the text.
    code, shown, out = _run_on_terminals(["--only", "whitespace", "a.jsonl", "--jobs", "1"], tmp_path, False)
    assert code == 0 and "B/s" in shown and out.count(b"\n") == 30_000 and b"%|" not in out


# -- messages (item 18) -----------------------------------------------------------------------


def test_file_names_are_escaped_in_messages_and_stats(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / os.fsdecode(b"bad\xff.txt")).write_bytes(b"x \xff y")
    (tmp_path / "in" / "evil\nnewsclean: error: forged.txt").write_bytes(b"\xfe")
    result = run("in", "-o", "out", "--stats", "s.json", cwd=tmp_path)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    err = result.stderr.decode().splitlines()
    assert [line for line in err if line.startswith("newsclean: error:")] == [
        'newsclean: error: "in/bad\\xff.txt": invalid utf-8 at byte 2 (line 1): invalid start byte; file skipped '
        "(choose the right encoding, or replace invalid bytes)",
        'newsclean: error: "in/evil\\nnewsclean: error: forged.txt": invalid utf-8 at byte 0 (line 1): invalid '
        "start byte; file skipped (choose the right encoding, or replace invalid bytes)",
    ]
    stats = json.loads((tmp_path / "s.json").read_bytes())
    assert os.fsencode(stats["problems"][0]["path"]) == b"in/bad\xff.txt"


def test_usage_mistakes_are_one_line_with_a_suggestion_and_exit_2():
    cases = [
        (["--set", "boilerplate.rules=x"], "unknown option 'rules' for cleaner 'boilerplate'; valid options:"),
        (["cleaner"], "no such file or folder: cleaner; did you mean the command 'newsclean cleaners'?"),
        (["-f", "json"], "argument -f/--format: invalid format 'json' (did you mean 'jsonl'?); choose from txt, "
                         "jsonl, csv, tsv"),
    ]
    for args, message in cases:
        result = run(*args, input="text")
        err = result.stderr.decode()
        assert result.returncode == 2 and result.stdout == b"", args
        assert "Traceback" not in err and f"newsclean: error: {message}" in err, (args, err)


def test_a_binary_file_is_reported_as_binary(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    import gzip

    (tmp_path / "packed.txt").write_bytes(gzip.compress(b"text"))
    result = run("image.txt", "packed.txt", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "image.txt: binary file (a PNG image); skipped" in err
    assert "packed.txt: binary file (gzip-compressed; a name ending in .gz has it decompressed); skipped" in err


def test_python_m_newsclean_does_not_import_from_the_current_folder(tmp_path):
    import sys

    (tmp_path / "regex.py").write_text("raise SystemExit('imported regex.py from the current folder')\n")
    env = {**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}
    env.pop("PYTHONSAFEPATH", None)
    result = subprocess.run([sys.executable, "-m", "newsclean", "-q"], input=b"a  b\n", cwd=tmp_path,
                            capture_output=True, env=env, timeout=60)
    assert result.returncode == 0 and result.stdout == b"a b\n", result.stderr
