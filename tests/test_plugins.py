"""Plugin loading: built-ins first, entry points, isolation of broken and hostile plugins, duplicate
names, NEWSCLEAN_LOAD_PLUGINS, API versions, rule packs as named units."""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import warnings

import pytest

import newsclean
from newsclean import (
    DuplicateCleanerError,
    Pipeline,
    PluginError,
    PluginLoadWarning,
    Rule,
    UnknownCleanerError,
)
from newsclean.errors import DuplicateRulePackError, UnknownRulePackError
from newsclean.hookspecs import API_VERSION, SUPPORTED_API_VERSIONS
from newsclean.plugins import BUILTIN_PLUGIN, get_registry, load_registry, reset_registry
from plugin_fixtures import (
    HOSTILE,
    DuplicatePlugin,
    GoodPlugin,
    MisspeltPlugin,
    NotACleanerPlugin,
    RaisingPlugin,
    RulesPlugin,
    install,
)

BROKEN_MODULE = "import nonexistent_mod_xyz\n"

GOOD_MODULE = """
    from newsclean import Cleaner, hookimpl

    NEWSCLEAN_API_VERSION = 1

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

PACK = """
    description = "Furniture of {site}.org"
    default_enabled = {enabled}
    api_version = {api}

    [[rule]]
    pattern = "tune in to {site} radio"
    category = "radio"
    examples = ["Tune in to {site} radio"]
"""


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path where tests 'install' distributions; cleaned up afterwards."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    for name in ("NEWSCLEAN_LOAD_PLUGINS", "NEWSCLEAN_STRICT_PLUGINS", "NEWSCLEAN_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    before = set(sys.modules)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    cwd = os.getcwd()
    yield folder
    for name in set(sys.modules) - before:
        if name.startswith("nc_"):
            del sys.modules[name]
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    os.chdir(cwd)
    reset_registry()


def load_quietly(**kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        registry = load_registry(**kwargs)
    return registry, [str(w.message) for w in caught if issubclass(w.category, PluginLoadWarning)]


# -- basics -----------------------------------------------------------------------------------


def test_importing_newsclean_loads_no_plugins() -> None:
    code = "import newsclean, newsclean.plugins as p, sys; print(p._registry is None, 'pluggy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "True"


def test_builtins_are_the_first_plugin_with_their_origin() -> None:
    reg = load_registry(entry_points=False)
    assert reg.plugins[0].name == BUILTIN_PLUGIN
    assert "whitespace" in reg.plugins[0].cleaners
    assert reg.plugins[0].rule_packs == ("de", "en", "es", "fr")
    for info in [*reg.cleaners.values(), *reg.packs.values()]:
        assert info.source == "newsclean (built-in)"
        assert (info.origin.package, info.origin.version) == ("newsclean", newsclean.__version__)
        assert info.origin.api_version == API_VERSION


def test_entry_point_plugin_is_discovered_and_runs(site) -> None:
    install(site, "nc-test-good", plugins={"good": "nc_test_good"}, files={"nc_test_good.py": GOOD_MODULE})
    reg = load_registry()
    info = reg.get("tilde")
    assert info.source == "nc-test-good 1.0"
    assert (info.origin.plugin, info.origin.package, info.origin.api_version) == ("good", "nc-test-good", 1)
    assert newsclean.Pipeline(["tilde"], registry=reg).clean("a~b") == "ab"
    assert not reg.failures


def test_plugin_failing_on_import_warns_and_the_rest_loads(site) -> None:
    install(site, "nc-test-broken", plugins={"broken": "nc_test_broken"}, files={"nc_test_broken.py": BROKEN_MODULE})
    install(site, "nc-test-good", plugins={"good": "nc_test_good"}, files={"nc_test_good.py": GOOD_MODULE})
    expected = r"plugin 'broken' \(nc-test-broken 1.0\) was not loaded: ModuleNotFoundError"
    with pytest.warns(PluginLoadWarning, match=expected):
        reg = load_registry()
    assert "tilde" in reg.cleaners and "whitespace" in reg.cleaners
    assert [f.plugin for f in reg.failures] == ["broken"]
    assert "Traceback" in reg.failures[0].traceback and "nonexistent_mod_xyz" in reg.failures[0].traceback


def test_debug_puts_the_traceback_into_the_warning(site, monkeypatch) -> None:
    install(site, "nc-test-broken", plugins={"broken": "nc_test_broken"}, files={"nc_test_broken.py": BROKEN_MODULE})
    _, shown = load_quietly()
    assert "Traceback" not in shown[0]
    monkeypatch.setenv("NEWSCLEAN_DEBUG", "1")
    _, shown = load_quietly()
    assert "was not loaded" in shown[0] and "Traceback (most recent call last)" in shown[0]


def test_strict_mode_makes_a_broken_plugin_fatal(site, monkeypatch) -> None:
    install(site, "nc-test-broken", plugins={"broken": "nc_test_broken"},
            files={"nc_test_broken.py": "raise SystemError()"})
    with pytest.raises(PluginError, match="'broken'"):
        load_registry(strict=True)
    monkeypatch.setenv("NEWSCLEAN_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError, match="SystemError"):
        load_registry()


def test_unknown_name_error_mentions_plugins_that_failed_to_load(site) -> None:
    install(site, "nc-hostile-hook", plugins={"hook": "nc_hostile_hook"},
            files={"nc_hostile_hook.py": HOSTILE / "raises_in_hook.py"})
    reg, _ = load_quietly()
    with pytest.raises(UnknownCleanerError) as caught:
        Pipeline(["doomed"], registry=reg)
    message = str(caught.value)
    assert "unknown cleaner 'doomed'" in message
    assert "1 plugin(s) failed to load and may provide it" in message
    assert "plugin 'hook' (nc-hostile-hook 1.0) was not loaded: RuntimeError: the hook broke half-way" in message
    assert "NEWSCLEAN_DEBUG=1" in message
    clean = load_registry(entry_points=False)
    with pytest.raises(UnknownCleanerError) as caught:
        clean.get("doomed")
    assert "failed to load" not in str(caught.value)


# -- NEWSCLEAN_LOAD_PLUGINS ------------------------------------------------------------------------


def test_allowlist_names_packages(site, monkeypatch) -> None:
    install(site, "nc-test-broken", plugins={"broken": "nc_test_broken"}, files={"nc_test_broken.py": BROKEN_MODULE})
    install(site, "nc-test-good", plugins={"good": "nc_test_good"}, files={"nc_test_good.py": GOOD_MODULE})
    for value in ("nc-test-good", "NC_Test.Good", "nc-test-good:good", " nc-test-good , "):
        monkeypatch.setenv("NEWSCLEAN_LOAD_PLUGINS", value)
        reg, shown = load_quietly()
        assert "tilde" in reg.cleaners and not reg.failures and not shown, value
    monkeypatch.setenv("NEWSCLEAN_LOAD_PLUGINS", "")
    reg, shown = load_quietly()
    assert "tilde" not in reg.cleaners and "whitespace" in reg.cleaners and not shown


def test_allowlist_does_not_match_entry_point_names_of_other_packages(site, monkeypatch) -> None:
    # Another package's entry point called "datelines" must not be imported instead of the real one.
    install(site, "nc-impostor", plugins={"datelines": "nc_impostor"},
            files={"nc_impostor.py": HOSTILE / "duplicate_two.py"})
    install(site, "nc-test-good", plugins={"good": "nc_test_good"}, files={"nc_test_good.py": GOOD_MODULE})
    monkeypatch.setenv("NEWSCLEAN_LOAD_PLUGINS", "nc-test-good")
    reg, _ = load_quietly()
    assert "tilde" in reg.cleaners and "spaces" not in reg.cleaners
    assert "nc_impostor" not in sys.modules
    monkeypatch.setenv("NEWSCLEAN_LOAD_PLUGINS", "datelines")
    reg, shown = load_quietly()
    assert "spaces" not in reg.cleaners and "nc_impostor" not in sys.modules
    assert len(shown) == 1
    assert "NEWSCLEAN_LOAD_PLUGINS names 'datelines', which is no installed plugin package" in shown[0]
    assert "it is an entry point of nc-impostor" in shown[0] and "name the package you mean" in shown[0]
    monkeypatch.setenv("NEWSCLEAN_LOAD_PLUGINS", "nc-test-goud")
    _, shown = load_quietly()
    assert "did you mean 'nc-test-good'?" in shown[0]


# -- duplicate names ---------------------------------------------------------------------------------


def test_duplicate_names_are_used_by_neither_and_name_both_sources() -> None:
    reg, shown = load_quietly(plugins=[("good", GoodPlugin()), ("dup", DuplicatePlugin())], entry_points=False)
    assert "shout" not in reg.cleaners and "strip" in reg.cleaners  # the rest of both plugins stays
    expected = "cleaner name 'shout' is registered by plugin good and by plugin dup, so neither is used"
    assert any(expected in message for message in shown)
    with pytest.raises(DuplicateCleanerError, match=expected):
        Pipeline.default(enable=["shout"], registry=reg)
    with pytest.raises(DuplicateCleanerError, match=expected):
        load_registry([("good", GoodPlugin()), ("dup", DuplicatePlugin())], entry_points=False, strict=True)


def test_duplicate_entry_point_plugins_and_how_to_choose(site, monkeypatch) -> None:
    install(site, "nc-dup-one", plugins={"one": "nc_dup_one"}, files={"nc_dup_one.py": HOSTILE / "duplicate_one.py"})
    install(site, "nc-dup-two", plugins={"two": "nc_dup_two"}, files={"nc_dup_two.py": HOSTILE / "duplicate_two.py"})
    reg, shown = load_quietly()
    assert "tilde" not in reg.cleaners and "spaces" in reg.cleaners
    [conflict] = reg.conflicts
    assert [o.package for o in conflict.origins] == ["nc-dup-one", "nc-dup-two"]
    message = "registered by nc-dup-one 1.0 (entry point 'one') and by nc-dup-two 1.0 (entry point 'two')"
    assert any(message in m and "NEWSCLEAN_LOAD_PLUGINS=nc-dup-one" in m for m in shown)
    with pytest.raises(DuplicateCleanerError, match=re.escape(message)):
        Pipeline(["tilde"], registry=reg)
    monkeypatch.setenv("NEWSCLEAN_LOAD_PLUGINS", "nc-dup-two")
    reg, shown = load_quietly()
    assert not shown and Pipeline(["tilde"], registry=reg).clean("a~b") == "aIMPOSTORb"


def test_a_built_in_name_cannot_be_taken(site) -> None:
    install(site, "nc-hijack", plugins={"hijack": "nc_hijack"},
            files={"nc_hijack.py": HOSTILE / "takes_builtin_name.py"})
    reg, shown = load_quietly()
    assert reg.get("whitespace").origin.builtin
    assert Pipeline(["whitespace"], registry=reg).clean("a  b") == "a b"
    assert "cleaner name 'whitespace' belongs to newsclean's built-in cleaner" in shown[0]
    assert [f.plugin for f in reg.failures] == ["hijack"] and not reg.conflicts


# -- hostile plugins ------------------------------------------------------------------------------------


def test_sys_exit_at_import_is_a_plugin_failure(site) -> None:
    install(site, "nc-hostile-exit", plugins={"exit": "nc_hostile_exit"},
            files={"nc_hostile_exit.py": HOSTILE / "exits_at_import.py"})
    install(site, "nc-test-good", plugins={"good": "nc_test_good"}, files={"nc_test_good.py": GOOD_MODULE})
    reg, shown = load_quietly()
    assert shown == ["newsclean plugin 'exit' (nc-hostile-exit 1.0) was not loaded: it called sys.exit(3)"]
    assert "tilde" in reg.cleaners


def test_sys_exit_or_an_exception_in_a_hook_is_a_plugin_failure_that_leaves_nothing(site) -> None:
    install(site, "nc-hostile-hook", plugins={"hook": "nc_hostile_hook"},
            files={"nc_hostile_hook.py": HOSTILE / "raises_in_hook.py"})
    install(site, "nc-hostile-hookexit", plugins={"hookexit": "nc_hostile_hookexit"},
            files={"nc_hostile_hookexit.py": HOSTILE / "exits_in_hook.py"})
    reg, shown = load_quietly()
    assert "doomed" not in reg.cleaners
    assert sorted(f.plugin for f in reg.failures) == ["hook", "hookexit"]
    assert any("was not loaded: it called sys.exit('giving up')" in m for m in shown)
    with pytest.warns(PluginLoadWarning, match="'raiser'.*RuntimeError: plugin bug"):
        reg = load_registry([("raiser", RaisingPlugin())], entry_points=False)
    assert "shout" not in reg.cleaners
    assert [p.name for p in reg.plugins] == [BUILTIN_PLUGIN]


def test_keyboard_interrupt_in_a_plugin_is_not_swallowed(site) -> None:
    install(site, "nc-hostile-ki", plugins={"ki": "nc_hostile_ki"},
            files={"nc_hostile_ki.py": "raise KeyboardInterrupt\n"})
    with pytest.raises(KeyboardInterrupt):
        load_registry()


def test_process_wide_state_changed_by_a_plugin_is_put_back(site, tmp_path) -> None:
    install(site, "nc-a-globals", plugins={"globals": "nc_a_globals"},
            files={"nc_a_globals.py": HOSTILE / "mutates_globals.py"})
    install(site, "nc-b-broken", plugins={"broken": "nc_b_broken"}, files={"nc_b_broken.py": BROKEN_MODULE})
    os.chdir(tmp_path)
    stdout, filters = sys.stdout, list(warnings.filters)
    reg, shown = load_quietly()  # the broken plugin after it still warns: "error" did not leak
    assert os.getcwd() == str(tmp_path) and sys.stdout is stdout
    assert warnings.filters == filters
    assert "tame" in reg.cleaners  # the plugin itself loaded
    assert any("plugin 'globals' (nc-a-globals 1.0) changed sys.stdout, the working folder while loading; "
               "newsclean put them back" in m for m in shown)
    assert any("plugin 'broken'" in m and "ModuleNotFoundError" in m for m in shown)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="needs POSIX signals")
def test_signal_handlers_installed_by_a_plugin_are_put_back(site) -> None:
    install(site, "nc-hostile-signals", plugins={"signals": "nc_hostile_signals"},
            files={"nc_hostile_signals.py": HOSTILE / "installs_signal_handlers.py"})
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    reg, shown = load_quietly()
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
    assert "deaf" in reg.cleaners
    assert any("changed the SIGINT handler, the SIGTERM handler while loading" in m for m in shown)


def test_a_plugin_using_newsclean_while_it_loads_fails_instead_of_deadlocking(site, fresh_registry) -> None:
    install(site, "nc-hostile-reentry", plugins={"reentry": "nc_hostile_reentry"},
            files={"nc_hostile_reentry.py": HOSTILE / "uses_newsclean_at_import.py"})
    registry = get_registry()  # through the cached, locked path the CLI and newsclean.clean use
    [failure] = registry.failures
    assert "newsclean was used while its plugins were being loaded" in failure.error
    assert newsclean.clean("a  b") == "a b"


def test_an_unsupported_api_version_is_refused_naming_the_supported_ones(site) -> None:
    install(site, "nc-hostile-future", plugins={"future": "nc_hostile_future"},
            files={"nc_hostile_future.py": HOSTILE / "future_api.py"})
    reg, shown = load_quietly()
    assert "future" not in reg.cleaners
    supported = ", ".join(map(str, SUPPORTED_API_VERSIONS))
    assert shown == [
        "newsclean plugin 'future' (nc-hostile-future 1.0) was not loaded: it targets newsclean plugin API "
        f"version 99, but newsclean {newsclean.__version__} supports version {supported}; install a release "
        f"of the plugin made for API version {API_VERSION}, or a newsclean that supports version 99"
    ]


def test_api_version_must_be_an_integer(site) -> None:
    install(site, "nc-bad-api", plugins={"badapi": "nc_bad_api"},
            files={"nc_bad_api.py": 'NEWSCLEAN_API_VERSION = "1"\n'})
    _, shown = load_quietly()
    assert "declares plugin API version '1'; it must be an integer" in shown[0]


def test_a_catastrophic_rule_in_a_plugin_is_refused_by_name(site) -> None:
    install(site, "nc-hostile-rules", rules={"evil": "nc_hostile_rules:catastrophic.toml"},
            files={"nc_hostile_rules/catastrophic.toml": HOSTILE / "catastrophic.toml"})
    install(site, "nc-hostile-slow", plugins={"slow": "nc_hostile_slow"},
            files={"nc_hostile_slow.py": HOSTILE / "slow_rule.py"})
    reg, shown = load_quietly()
    assert "evil" not in reg.packs and "slow" not in reg.packs
    evil = next(m for m in shown if "'evil'" in m)
    assert "catastrophic.toml: rule #2: boilerplate rule '(a|a)+(?:b|!!)' may take exponential time" in evil
    slow = next(m for m in shown if "'slow'" in m)
    assert "boilerplate rule '(?:a|a){1,16}(?:a|a){1,16}b' is too slow" in slow


# -- misspelt hooks and invalid registrations ---------------------------------------------------------


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


def test_a_mutable_option_default_is_refused() -> None:
    class Listy(newsclean.Cleaner):
        name = "listy"
        description = "Has a list default."
        options = {"words": newsclean.Option(["a"], "words")}

        def clean(self, text: str) -> str:
            return text

    class Plugin:
        @newsclean.hookimpl
        def newsclean_register_cleaners(self, register):
            register(Listy)

    with pytest.raises(PluginError, match=r"option listy.words has a mutable default \['a'\]; use a tuple"):
        load_registry([("listy", Plugin())], entry_points=False, strict=True)


# -- rule packs ------------------------------------------------------------------------------------------


def test_rules_hook_accepts_rules_lists_and_toml_paths_as_named_packs(tmp_path) -> None:
    pack = tmp_path / "site.toml"
    pack.write_text('language = "en"\n[[rule]]\npattern = "sponsored content"\ncategory = "advertisement"\n', "utf-8")
    reg = load_registry([("rules", RulesPlugin(pack))], entry_points=False)
    assert [(r.pattern, r.source, r.pack) for r in reg.packs["rules"].rules] == [("watch the video", "rules", "rules")]
    assert [(r.pattern, r.source, r.pack) for r in reg.packs["site"].rules] == [
        ("sponsored content", str(pack), "site")
    ]
    assert reg.packs["site"].origin.plugin == "rules" and reg.packs["site"].path == str(pack)


def test_register_keywords_name_a_pack_and_switch_it_off(tmp_path) -> None:
    pack = tmp_path / "x.toml"
    pack.write_text('[[rule]]\npattern = "listen live"\ncategory = "radio"\n', "utf-8")

    class Plugin:
        @newsclean.hookimpl
        def newsclean_register_rules(self, register):
            register(pack, name="radio", default_enabled=False, description="Radio furniture")
            register(Rule("listen again", category="radio"), name="radio")  # joins the same pack

    reg = load_registry([("p", Plugin())], entry_points=False)
    info = reg.packs["radio"]
    assert (info.description, info.default_enabled, len(info.rules)) == ("Radio furniture", False, 2)
    assert "listen live" not in {r.pattern for r in reg.rules}
    assert "listen live" in {r.pattern for r in reg.rules_for(enable=["radio"])}


def test_bad_rule_pack_names_the_file(tmp_path) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text('[[rule]]\npattern = "(unclosed"\ncategory = "x"\n', "utf-8")
    with pytest.warns(PluginLoadWarning, match=r"bad.toml: rule #1: .*not a valid pattern"):
        load_registry([("rules", RulesPlugin(pack))], entry_points=False)
    typo = tmp_path / "typo.toml"
    typo.write_text('default_enable = false\n[[rule]]\npattern = "x"\ncategory = "y"\n', "utf-8")
    with pytest.warns(PluginLoadWarning, match=r"typo.toml: unknown key 'default_enable' \(did you mean"):
        load_registry([("rules", RulesPlugin(typo))], entry_points=False)
    with pytest.raises(ValueError, match="valid kinds: line, prefix, "):
        Rule("x", category="y", kind="block")


def test_data_only_rule_pack_entry_point(site) -> None:
    install(site, "nc-furniture", rules={"example-org": "nc_furniture:example.toml"},
            files={"nc_furniture/example.toml": PACK.format(site="example", enabled="true", api=1)})
    install(site, "nc-furniture-off", rules={"quiet": "nc_furniture_off:quiet.toml"},
            files={"nc_furniture_off/quiet.toml": PACK.format(site="quiet", enabled="false", api=1)})
    reg, shown = load_quietly()
    assert not shown
    info = reg.packs["example-org"]
    assert (info.source, info.origin.plugin, info.origin.api_version) == ("nc-furniture 1.0", "example-org", 1)
    assert (info.description, info.default_enabled, info.categories) == ("Furniture of example.org", True, ("radio",))
    assert not reg.packs["quiet"].default_enabled
    text = "Body.\n\nTune in to example radio\n\nTune in to quiet radio"
    assert Pipeline(["boilerplate"], registry=reg).clean(text) == "Body.\n\nTune in to quiet radio"
    assert Pipeline(["boilerplate"], registry=reg, enable_rules=["quiet"]).clean(text) == "Body."
    assert Pipeline(["boilerplate"], registry=reg, disable_rules=["example-org"]).clean(text) == text


def test_data_only_entry_point_errors(site) -> None:
    install(site, "nc-furniture", rules={"nofile": "nc_furniture", "future": "nc_furniture:future.toml"},
            files={"nc_furniture/future.toml": PACK.format(site="x", enabled="true", api=99)})
    reg, shown = load_quietly()
    assert not reg.packs.keys() & {"nofile", "future"}
    assert any("must name a TOML file inside a package: 'package:file.toml'" in m for m in shown)
    assert any("rule pack 'future'" in m and "targets newsclean plugin API version 99" in m for m in shown)


def test_duplicate_pack_names_are_used_by_neither(site) -> None:
    for dist in ("nc-pack-one", "nc-pack-two"):
        module = dist.replace("-", "_")
        install(site, dist, rules={"same": f"{module}:p.toml"},
                files={f"{module}/p.toml": PACK.format(site="x", enabled="true", api=1)})
    reg, shown = load_quietly()
    assert "same" not in reg.packs
    assert any("rule pack name 'same' is registered by nc-pack-one 1.0" in m for m in shown)
    with pytest.raises(DuplicateRulePackError):
        Pipeline.default(registry=reg, enable_rules=["same"])


def test_rule_pack_names_are_checked_with_suggestions() -> None:
    reg = load_registry(entry_points=False)
    with pytest.raises(UnknownRulePackError, match=r"unknown rule pack 'eng' \(did you mean 'en'\?\); available"):
        Pipeline.default(registry=reg, disable_rules=["eng"])
    with pytest.raises(newsclean.ConfigError, match="both enabled and disabled"):
        reg.rules_for(enable=["de"], disable=["de"])


def test_pipelines_keep_their_choice_of_rule_packs(fresh_registry) -> None:
    text = "Body.\n\nAdvertisement"
    plain = Pipeline.default(disable_rules=["en"])
    assert plain.clean(text) == text
    for derived in (plain.enable("datelines") if "datelines" in get_registry().cleaners else plain,
                    plain.configure("whitespace", max_blank_lines=2), plain.disable("quotes"),
                    pickle.loads(pickle.dumps(plain))):
        assert derived.clean(text) == text
    assert Pipeline.default().clean(text) == "Body."


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
    assert {"en", "de", "fr", "es"} <= {p.name for p in newsclean.rule_packs()}


def test_cleaners_function_survives_importing_the_cleaners_subpackage() -> None:
    import importlib

    importlib.import_module("newsclean.cleaners.whitespace")
    assert callable(newsclean.cleaners) and isinstance(newsclean.cleaners(), list)


def test_set_derived_is_public_and_set_still_works() -> None:
    class Upper(newsclean.Cleaner):
        name = "upper"
        description = "Upper-case."

        def setup(self) -> None:
            self.set_derived("_fn", str.upper)
            self._set("_also", 1)

        def clean(self, text: str) -> str:
            return self._fn(text)  # type: ignore[attr-defined]

    cleaner = Upper()
    assert cleaner.clean("a") == "A" and cleaner._also == 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="immutable"):
        cleaner._fn = str.lower  # type: ignore[attr-defined]

