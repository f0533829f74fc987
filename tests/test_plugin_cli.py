"""The ``newsclean`` command with hostile, broken and conflicting plugins installed (subprocesses),
rule packs chosen by name, ``--set`` on a cleaner that is off, and ``--debug``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from plugin_fixtures import HOSTILE, install
from test_cli import CLEAN, COMMAND, DIRTY, run

MARK = """
    from newsclean import Cleaner, Option, hookimpl

    NEWSCLEAN_API_VERSION = 1

    class Mark(Cleaner):
        name = "mark"
        description = "Remove a marker character (off by default)."
        default_enabled = False
        order = 850
        options = {"char": Option("~", "the character to remove")}

        def clean(self, text):
            return text.replace(self.char, "")

    @hookimpl
    def newsclean_register_cleaners(register):
        register(Mark)
"""

#: hostile plugin -> (package, entry points, files, what the one-line warning must say)
HOSTILE_PLUGINS = {
    "exits at import": ("nc-exit", {"plugins": {"exit": "nc_exit"}}, {"nc_exit.py": "exits_at_import.py"},
                        "plugin 'exit' (nc-exit 1.0) was not loaded: it called sys.exit(3)"),
    "raises in a hook": ("nc-hook", {"plugins": {"hook": "nc_hook"}}, {"nc_hook.py": "raises_in_hook.py"},
                         "plugin 'hook' (nc-hook 1.0) was not loaded: RuntimeError: the hook broke half-way"),
    "exits in a hook": ("nc-hookexit", {"plugins": {"hookexit": "nc_hookexit"}},
                        {"nc_hookexit.py": "exits_in_hook.py"},
                        "plugin 'hookexit' (nc-hookexit 1.0) was not loaded: it called sys.exit('giving up')"),
    "uses newsclean at import": ("nc-reentry", {"plugins": {"reentry": "nc_reentry"}},
                                 {"nc_reentry.py": "uses_newsclean_at_import.py"},
                                 "newsclean was used while its plugins were being loaded"),
    "catastrophic rule": ("nc-evil", {"rules": {"evil": "nc_evil:catastrophic.toml"}},
                          {"nc_evil/catastrophic.toml": "catastrophic.toml"},
                          "rule #2: boilerplate rule '(a|a)+(?:b|!!)' may take exponential time"),
    "slow rule": ("nc-slow", {"plugins": {"slow": "nc_slow"}}, {"nc_slow.py": "slow_rule.py"},
                  "boilerplate rule '(?:a|a){1,16}(?:a|a){1,16}b' is too slow"),
    "built-in name": ("nc-hijack", {"plugins": {"hijack": "nc_hijack"}}, {"nc_hijack.py": "takes_builtin_name.py"},
                      "cleaner name 'whitespace' belongs to newsclean's built-in cleaner"),
    "incompatible API version": ("nc-future", {"plugins": {"future": "nc_future"}}, {"nc_future.py": "future_api.py"},
                                 "targets newsclean plugin API version 99, but newsclean 0.1.0 supports version 1"),
}


def site_with(tmp_path, *names: str):
    """Install the named hostile plugins; return (env, packages)."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    packages = []
    for name in names:
        package, entry_points, files, _ = HOSTILE_PLUGINS[name]
        install(site, package, **entry_points, files={k: HOSTILE / v for k, v in files.items()})
        packages.append(package)
    return {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": ",".join(packages)}, packages


@pytest.mark.parametrize("name", list(HOSTILE_PLUGINS))
def test_a_hostile_plugin_is_one_warning_and_the_run_goes_on(tmp_path, name: str) -> None:
    env, _ = site_with(tmp_path, name)
    expected = HOSTILE_PLUGINS[name][3]
    result = run("--only", "whitespace", input=DIRTY + "\n" + "a" * 40, env=env)
    assert result.returncode == 0 and result.stdout.decode() == CLEAN + "\n" + "a" * 40
    warnings = [line for line in result.stderr.decode().splitlines() if line.startswith("newsclean: warning:")]
    assert len(warnings) == 1 and expected in warnings[0], result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
    listing = run("cleaners", env=env)
    assert listing.returncode == 0
    assert any(line.startswith("not loaded: ") and expected in line for line in listing.stdout.decode().splitlines())
    strict = run("--only", "whitespace", input=DIRTY, env={**env, "NEWSCLEAN_STRICT_PLUGINS": "1"})
    assert strict.returncode == 2 and expected in strict.stderr.decode() and strict.stdout == b""


def test_unknown_name_points_at_the_failed_plugin_and_debug_shows_its_traceback(tmp_path) -> None:
    env, _ = site_with(tmp_path, "raises in a hook")
    result = run("--enable", "doomed", "-q", input=DIRTY, env=env)
    err = result.stderr.decode()
    assert result.returncode == 2 and result.stdout == b""
    assert "newsclean: error: unknown cleaner 'doomed'" in err
    assert "1 plugin(s) failed to load and may provide it: newsclean plugin 'hook' (nc-hook 1.0)" in err
    assert "Traceback" not in err
    debug = run("--enable", "doomed", "--debug", input=DIRTY, env=env).stderr.decode()
    assert "Traceback (most recent call last)" in debug and 'raise RuntimeError("the hook broke half-way")' in debug
    listing = run("cleaners", "--debug", env=env).stdout.decode()
    assert "Traceback (most recent call last)" in listing
    data = json.loads(run("cleaners", "--json", env={**env, "NEWSCLEAN_DEBUG": "1"}).stdout)
    assert data["failures"][0]["plugin"] == "hook" and "RuntimeError" in data["failures"][0]["traceback"]


def test_duplicate_cleaner_names_run_neither_and_say_how_to_choose(tmp_path) -> None:
    site = tmp_path / "site"
    install(site, "nc-dup-one", plugins={"one": "nc_dup_one"}, files={"nc_dup_one.py": HOSTILE / "duplicate_one.py"})
    install(site, "nc-dup-two", plugins={"two": "nc_dup_two"}, files={"nc_dup_two.py": HOSTILE / "duplicate_two.py"})
    env = {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": "nc-dup-one,nc-dup-two"}
    listing = run("cleaners", env=env).stdout.decode()
    conflict = "cleaner name 'tilde' is registered by nc-dup-one 1.0 (entry point 'one') and by nc-dup-two 1.0"
    assert f"conflict: {conflict}" in listing
    assert not any(line.startswith("tilde ") for line in listing.splitlines())
    assert any(line.startswith("spaces ") for line in listing.splitlines())  # the rest of the plugin stays
    used = run("--only", "tilde", input="a~b", env=env)
    assert used.returncode == 2 and conflict in used.stderr.decode() and used.stdout == b""
    assert "NEWSCLEAN_LOAD_PLUGINS=nc-dup-one" in used.stderr.decode()
    every_run = run("--only", "whitespace", input=DIRTY, env=env)
    assert every_run.returncode == 0 and conflict in every_run.stderr.decode()
    chosen = run("--only", "tilde", input="a~b", env={**env, "NEWSCLEAN_LOAD_PLUGINS": "nc-dup-one"})
    assert chosen.returncode == 0 and chosen.stdout == b"ab" and not chosen.stderr.strip().startswith(b"newsclean: w")
    data = json.loads(run("cleaners", "--json", env=env).stdout)
    assert data["conflicts"] == [{"kind": "cleaner", "name": "tilde", "packages": ["nc-dup-one 1.0", "nc-dup-two 1.0"],
                                  "message": data["conflicts"][0]["message"]}]


def test_process_wide_changes_of_a_plugin_do_not_reach_the_run(tmp_path) -> None:
    site = tmp_path / "site"
    install(site, "nc-a-globals", plugins={"globals": "nc_a_globals"},
            files={"nc_a_globals.py": HOSTILE / "mutates_globals.py"})
    install(site, "nc-b-broken", plugins={"broken": "nc_b_broken"}, files={"nc_b_broken.py": "import nothing_here\n"})
    env = {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": "nc-a-globals,nc-b-broken"}
    (tmp_path / "a.txt").write_text("x ~ y")
    to_stdout = run("--only", "tame", "a.txt", cwd=tmp_path, env=env)
    assert to_stdout.returncode == 0 and to_stdout.stdout == b"x - y"  # sys.stdout was put back
    err = to_stdout.stderr.decode()
    assert "plugin 'globals' (nc-a-globals 1.0) changed sys.stdout, the working folder while loading" in err
    assert "plugin 'broken' (nc-b-broken 1.0) was not loaded: ModuleNotFoundError" in err  # not an exception
    relative = run("--only", "tame", "a.txt", "-o", "out", "-q", cwd=tmp_path, env=env)
    assert relative.returncode == 0 and (tmp_path / "out" / "a.txt").read_text() == "x - y"


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="needs POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_plugin_cannot_make_newsclean_ignore_signals(tmp_path, sig: int) -> None:
    site = tmp_path / "site"
    install(site, "nc-deaf", plugins={"deaf": "nc_deaf"},
            files={"nc_deaf.py": HOSTILE / "installs_signal_handlers.py"})
    marker = tmp_path / "imported"
    env = {**os.environ, "PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": "nc-deaf", "NC_HOSTILE_MARKER": str(marker)}
    # Standard input stays open and empty: newsclean waits on it after loading its plugins.  (--jobs 1:
    # a signal while the worker pool starts is the runner's business, not the plugin loader's.)
    proc = subprocess.Popen([*COMMAND, "--only", "whitespace", "--jobs", "1", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists(), "the plugin was never imported"
        # Signals sent while the plugin's own handlers are still installed (before newsclean puts its
        # back, a few statements later) are ignored; repeat until one arrives, for at most 30 s.
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            proc.send_signal(sig)
            try:
                proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
    finally:
        if proc.poll() is None:
            proc.kill()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == (130 if sig == signal.SIGINT else 143), err.decode()
    assert "interrupted" in err.decode()  # (the warning about the handlers may not be out yet: not checked here)


def test_rule_packs_are_listed_and_chosen_by_name(tmp_path) -> None:
    site = tmp_path / "site"
    install(site, "nc-radio", rules={"radio": "nc_radio:radio.toml"},
            files={"nc_radio/radio.toml": 'default_enabled = false\napi_version = 1\n[[rule]]\n'
                                          'pattern = "tune in to radio example"\ncategory = "radio"\n'})
    env = {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": "nc-radio"}
    listing = run("cleaners", env=env).stdout.decode().splitlines()
    header = next(line for line in listing if line.startswith("RULE PACK"))
    assert header.split() == ["RULE", "PACK", "DEFAULT", "RULES", "PLUGIN", "PACKAGE", "API", "LANGUAGES",
                              "CATEGORIES"]
    radio = next(line for line in listing if line.startswith("radio "))
    assert radio.split() == ["radio", "off", "1", "radio", "nc-radio", "1.0", "1", "en", "radio"]
    assert next(line for line in listing if line.startswith("en ")).split()[:4] == ["en", "on", "49", "builtins"]
    data = json.loads(run("cleaners", "--json", env=env).stdout)
    pack = next(p for p in data["rule_packs"] if p["name"] == "radio")
    assert (pack["package"], pack["version"], pack["api_version"], pack["rules"]) == ("nc-radio", "1.0", 1, 1)
    assert pack["default_enabled"] is False and pack["categories"] == ["radio"]

    text = "Body.\n\nTune in to radio example\n\nAdvertisement"
    only = ["--only", "boilerplate", "-q"]
    assert run(*only, input=text, env=env).stdout.decode() == "Body.\n\nTune in to radio example"
    assert run(*only, "--enable-rules", "radio", input=text, env=env).stdout.decode() == "Body."
    assert run(*only, "--disable-rules", "en", input=text, env=env).stdout.decode() == text
    (tmp_path / "nc.toml").write_text('enable_rules = ["radio"]\ndisable_rules = ["en"]\n')
    from_file = run(*only, "--config", "nc.toml", input=text, cwd=tmp_path, env=env)
    assert from_file.stdout.decode() == "Body.\n\nAdvertisement"
    typo = run(*only, "--disable-rules", "raido", input=text, env=env)
    assert typo.returncode == 2
    assert "unknown rule pack 'raido' (did you mean 'radio'?); available rule packs: de, en, es, fr, radio" in (
        typo.stderr.decode()
    )


def test_set_on_a_cleaner_that_is_off_enables_it(tmp_path) -> None:
    site = tmp_path / "site"
    install(site, "nc-mark", plugins={"mark": "nc_mark"}, files={"nc_mark.py": MARK})
    env = {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": "nc-mark"}
    assert run("--only", "whitespace", input="a#b~c", env=env).stdout == b"a#b~c"
    assert run("--only", "whitespace", "--set", "mark.char=#", input="a#b~c", env=env).stdout == b"ab~c"
    both = run("--disable", "mark", "--set", "mark.char=#", input="a#b~c", env=env)
    assert both.returncode == 2 and "cleaner 'mark' is both given options and disabled" in both.stderr.decode()
    # a configuration file may keep options for a cleaner it leaves off, ready for --enable
    (tmp_path / "nc.toml").write_text('only = ["whitespace"]\ndisable = ["mark"]\n[options.mark]\nchar = "#"\n')
    kept = run("--config", "nc.toml", input="a#b~c", cwd=tmp_path, env=env)
    assert kept.returncode == 0 and kept.stdout == b"a#b~c"
    enabled = run("--config", "nc.toml", "--enable", "mark", input="a#b~c", cwd=tmp_path, env=env)
    assert enabled.stdout == b"ab~c"
    rows = [line.split()[:7] for line in run("cleaners", env=env).stdout.decode().splitlines()]
    assert ["mark", "off", "850", "mark", "nc-mark", "1.0", "1"] in rows
