"""Plugin loading: built-ins first, entry points, isolation of broken plugins, duplicates, rules."""

from __future__ import annotations

import sys
import textwrap
import warnings
from pathlib import Path

import pytest

import newsclean
from newsclean import DuplicateCleanerError, PluginError, PluginLoadWarning, Rule
from newsclean.plugins import BUILTIN_PLUGIN, get_registry, load_registry, reset_registry
from plugin_fixtures import (
    DuplicatePlugin,
    GoodPlugin,
    MisspeltPlugin,
    NotACleanerPlugin,
    RaisingPlugin,
    RulesPlugin,
)


def make_distribution(root: Path, dist: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    """Write a minimal installed distribution (dist-info + modules) under ``root``."""
    info = root / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    lines = ["[newsclean]"] + [f"{name} = {target}" for name, target in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for module, source in modules.items():
        (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")


BROKEN_MODULE = {"nc_test_broken": "import nonexistent_mod_xyz\n"}

GOOD_MODULE = """
    from newsclean import Cleaner, hookimpl

    class Tilde(Cleaner):
        name = "tilde"
        description = "Remove tildes."
        order = 650

        def clean(self, text):
            return text.replace("~", "")

    @hookimpl
    def newsclean_register_cleaners(register):
        register(Tilde)
"""


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path where tests can 'install' distributions; cleaned up afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("NEWSCLEAN_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("NEWSCLEAN_STRICT_PLUGINS", raising=False)
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name.startswith("nc_test_"):
            del sys.modules[name]
    reset_registry()


def test_importing_newsclean_loads_no_plugins() -> None:
    import subprocess

    code = "import newsclean, newsclean.plugins as p, sys; print(p._registry is None, 'pluggy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "True"


def test_builtins_are_the_first_plugin() -> None:
    reg = load_registry(entry_points=False)
    assert reg.plugins[0].name == BUILTIN_PLUGIN
    assert "whitespace" in reg.plugins[0].cleaners
    assert all(info.source == "newsclean (built-in)" for info in reg.cleaners.values())


def test_entry_point_plugin_is_discovered_and_runs(site) -> None:
    make_distribution(site, "nc-test-good", {"good": "nc_test_good"}, {"nc_test_good": GOOD_MODULE})
    reg = load_registry()
    assert reg.get("tilde").source == "nc-test-good 1.0"
    assert newsclean.Pipeline(["tilde"], registry=reg).clean("a~b") == "ab"
    assert not reg.failures


def test_plugin_failing_on_import_warns_and_the_rest_loads(site) -> None:
    make_distribution(site, "nc-test-broken", {"broken": "nc_test_broken"}, BROKEN_MODULE)
    make_distribution(site, "nc-test-good", {"good": "nc_test_good"}, {"nc_test_good": GOOD_MODULE})
    expected = r"plugin 'broken' \(nc-test-broken 1.0\) was not loaded: ModuleNotFoundError"
    with pytest.warns(PluginLoadWarning, match=expected):
        reg = load_registry()
    assert "tilde" in reg.cleaners and "whitespace" in reg.cleaners
    assert [f.plugin for f in reg.failures] == ["broken"]


def test_strict_mode_makes_a_broken_plugin_fatal(site, monkeypatch) -> None:
    make_distribution(site, "nc-test-broken", {"broken": "nc_test_broken"}, {"nc_test_broken": "raise SystemError()"})
    with pytest.raises(PluginError, match="'broken'"):
        load_registry(strict=True)
    monkeypatch.setenv("NEWSCLEAN_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError, match="SystemError"):
        load_registry()


def test_allowlist_env_var_restricts_plugins(site, monkeypatch) -> None:
    make_distribution(site, "nc-test-broken", {"broken": "nc_test_broken"}, BROKEN_MODULE)
    make_distribution(site, "nc-test-good", {"good": "nc_test_good"}, {"nc_test_good": GOOD_MODULE})
    monkeypatch.setenv("NEWSCLEAN_LOAD_PLUGINS", "good")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reg = load_registry()
    assert "tilde" in reg.cleaners and not reg.failures
    monkeypatch.setenv("NEWSCLEAN_LOAD_PLUGINS", "")
    reg = load_registry()
    assert "tilde" not in reg.cleaners and "whitespace" in reg.cleaners


def test_duplicate_names_are_an_error_naming_both_sources() -> None:
    expected = r"'shout' is registered twice: by plugin good .* and by plugin dup"
    with pytest.raises(DuplicateCleanerError, match=expected):
        load_registry([("good", GoodPlugin()), ("dup", DuplicatePlugin())], entry_points=False, strict=True)
    with pytest.warns(PluginLoadWarning, match="registered twice"):
        reg = load_registry([("good", GoodPlugin()), ("dup", DuplicatePlugin())], entry_points=False)
    assert reg.get("shout").source == "plugin good"


def test_plugin_raising_in_its_hook_leaves_nothing_behind() -> None:
    with pytest.warns(PluginLoadWarning, match="'raiser'.*RuntimeError: plugin bug"):
        reg = load_registry([("raiser", RaisingPlugin())], entry_points=False)
    assert "shout" not in reg.cleaners
    assert [p.name for p in reg.plugins] == [BUILTIN_PLUGIN]


def test_misspelt_hook_is_an_error_not_silently_ignored() -> None:
    with pytest.warns(PluginLoadWarning, match="'typo'.*newsclean_register_cleanrs"):
        reg = load_registry([("typo", MisspeltPlugin())], entry_points=False)
    assert "shout" not in reg.cleaners
    # The plugin was unregistered, so a later good plugin still loads.
    with pytest.warns(PluginLoadWarning):
        reg = load_registry([("typo", MisspeltPlugin()), ("good", GoodPlugin())], entry_points=False)
    assert "shout" in reg.cleaners


def test_registering_something_that_is_not_a_cleaner_fails_clearly() -> None:
    with pytest.raises(PluginError, match=r"not a newsclean\.Cleaner subclass"):
        load_registry([("bad", NotACleanerPlugin())], entry_points=False, strict=True)


def test_rules_hook_accepts_rules_lists_and_toml_paths(tmp_path) -> None:
    pack = tmp_path / "site.toml"
    pack.write_text('language = "en"\n[[rule]]\npattern = "sponsored content"\ncategory = "advertisement"\n', "utf-8")
    reg = load_registry([("rules", RulesPlugin(pack))], entry_points=False)
    mine = [r for r in reg.rules if r.pattern in {"watch the video", "sponsored content"}]
    assert [(r.pattern, r.source) for r in mine] == [("watch the video", "rules"), ("sponsored content", str(pack))]


def test_bad_rule_pack_names_the_file(tmp_path) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text('[[rule]]\npattern = "(unclosed"\ncategory = "x"\n', "utf-8")
    with pytest.warns(PluginLoadWarning, match=r"bad.toml: rule #1: .*not a valid pattern"):
        load_registry([("rules", RulesPlugin(pack))], entry_points=False)
    with pytest.raises(ValueError, match="valid kinds: line, prefix, "):
        Rule("x", category="y", kind="block")


def test_get_registry_is_cached_and_reset(fresh_registry) -> None:
    first = get_registry()
    assert get_registry() is first
    reset_registry()
    assert get_registry() is not first


def test_cleaners_lists_every_cleaner_with_its_source() -> None:
    infos = newsclean.cleaners()
    names = [i.name for i in infos]
    assert "whitespace" in names
    assert [i.order for i in infos] == sorted(i.order for i in infos)
    for info in infos:
        assert info.description and info.source


def test_cleaners_function_survives_importing_the_cleaners_subpackage() -> None:
    import importlib

    importlib.import_module("newsclean.cleaners.whitespace")
    assert callable(newsclean.cleaners) and isinstance(newsclean.cleaners(), list)
