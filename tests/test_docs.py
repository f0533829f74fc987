"""Documentation is enforced by tests: hooks, cleaners, the README's commands and the plugin guide's code."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import newsclean
from newsclean import hookspecs, plugins, testing
from newsclean.builtins import BUILTIN_CLEANERS
from newsclean.plugins import ENTRY_POINT_GROUPS
from newsclean.plugins import _PackCollector as PackCollector
from newsclean.rules import PACK_KEYS, RULE_KEYS
from newsclean.testing import strategies

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PLUGIN_DOCS = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
HOOKS = [name for name in dir(hookspecs) if name.startswith("newsclean_")]


def test_there_are_hooks() -> None:
    assert HOOKS == ["newsclean_register_cleaners", "newsclean_register_rules"]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_signature(hook: str) -> None:
    params = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    assert f"### `{hook}({params})`" in PLUGIN_DOCS
    assert getattr(hookspecs, hook).__doc__.strip()


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_exercised_by_a_test(hook: str) -> None:
    fixtures = (ROOT / "tests" / "plugin_fixtures" / "__init__.py").read_text(encoding="utf-8")
    assert f"def {hook}(" in fixtures


def _signature(function: object) -> str:
    """``name(a, b=1, *, c=())``: a callable's parameters as the guide writes them (no annotations)."""
    parts, star = [], False
    for param in inspect.signature(function).parameters.values():  # type: ignore[arg-type]
        if param.name == "self":
            continue
        if param.kind is param.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        default = "" if param.default is param.empty else f"={param.default!r}"
        parts.append(f"{param.name}{default}")
    return f"{function.__name__}({', '.join(parts)})"  # type: ignore[attr-defined]


TESTING_HELPERS = [getattr(testing, name) for name in testing.__all__ if inspect.isfunction(getattr(testing, name))]
STRATEGIES = [getattr(strategies, name) for name in strategies.__all__]


@pytest.mark.parametrize("helper", TESTING_HELPERS + STRATEGIES, ids=lambda f: f.__name__)
def test_every_public_testing_helper_is_documented_with_its_signature(helper: object) -> None:
    assert f"`{_signature(helper)}`" in PLUGIN_DOCS
    assert (helper.__doc__ or "").strip()


def test_testing_exports_are_all_documented() -> None:
    for name in testing.__all__:
        assert f"`{name}" in PLUGIN_DOCS, name


def test_the_rules_register_function_is_documented_with_its_signature() -> None:
    register = PackCollector("x").register
    assert f"`{_signature(register)}`" in PLUGIN_DOCS
    assert _signature(register) in hookspecs.newsclean_register_rules.__doc__  # type: ignore[operator]


@pytest.mark.parametrize("group", ENTRY_POINT_GROUPS)
def test_every_entry_point_group_is_documented(group: str) -> None:
    key = f'"{group}"' if "." in group else group
    assert f"[project.entry-points.{key}]" in PLUGIN_DOCS
    assert f"``{group}``" in plugins.__doc__  # type: ignore[operator]


def test_rule_pack_format_and_api_version_are_documented() -> None:
    for key in (*PACK_KEYS, *RULE_KEYS):
        assert f"`{key}`" in PLUGIN_DOCS, key
    assert f"NEWSCLEAN_API_VERSION = {hookspecs.API_VERSION}" in PLUGIN_DOCS
    assert f"`newsclean.PLUGIN_API_VERSION` (today **{hookspecs.API_VERSION}**)" in PLUGIN_DOCS
    supported = ", ".join(map(str, hookspecs.SUPPORTED_API_VERSIONS))
    assert f"`newsclean.hookspecs.SUPPORTED_API_VERSIONS` (today `{supported}`)" in PLUGIN_DOCS


@pytest.mark.parametrize("plugin", sorted(p.name for p in (ROOT / "plugins").iterdir() if p.is_dir()))
def test_every_example_plugin_is_packaged_documented_and_tested_by_ci(plugin: str) -> None:
    folder = ROOT / "plugins" / plugin
    assert (folder / "pyproject.toml").is_file() and (folder / "README.md").is_file()
    assert list((folder / "tests").glob("test_*.py"))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"-e ./plugins/{plugin}" in ci and f"plugins/{plugin}/tests" in ci.strip().splitlines()[-1]
    assert f"plugins/{plugin}" in PLUGIN_DOCS


@pytest.mark.parametrize("cls", BUILTIN_CLEANERS, ids=lambda c: c.name)
def test_every_builtin_cleaner_is_documented_and_tested(cls: type[newsclean.Cleaner]) -> None:
    module = inspect.getmodule(cls)
    assert module is not None and module.__name__ == f"newsclean.cleaners.{cls.name}"
    doc = module.__doc__ or ""
    assert re.search(r"never", doc, re.IGNORECASE), f"{cls.name}: docstring must say what it never touches"
    assert "example" in doc.lower() or "→" in doc, f"{cls.name}: docstring needs an example"
    assert f"`{cls.name}`" in README, f"{cls.name} is not described in README.md"
    assert (ROOT / "tests" / f"test_{cls.name}.py").exists(), f"no tests/test_{cls.name}.py"


def test_every_cleaner_module_is_registered() -> None:
    modules = {p.stem for p in (ROOT / "src" / "newsclean" / "cleaners").glob("*.py") if p.stem != "__init__"}
    assert modules == {cls.name for cls in BUILTIN_CLEANERS}


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    command = ci[-1].strip()
    assert command.startswith("python -m pytest")
    assert f"\n{command}\n" in README, "README.md must show the test command that .ci/run executes"


def test_readme_starts_with_the_two_setup_commands() -> None:
    first_block = README.split("```", 2)[1]
    assert "pip install" in first_block and "newsclean " in first_block
    assert "python -m pytest" in README.split("```", 4)[3]


def test_public_api_is_documented_in_the_readme() -> None:
    for name in ["newsclean.clean", "Pipeline.default", "clean_many", "explain", "newsclean.cleaners()", "hookimpl"]:
        assert name in README, name
    assert set(newsclean.__all__) >= {"clean", "Pipeline", "Cleaner", "hookimpl", "cleaners", "__version__"}


def test_plugin_guide_example_runs_and_conforms() -> None:
    from newsclean.testing import check_idempotent, check_keeps_clean_prose, check_never_raises

    block = re.search(r"```python\n(# src/newsclean_shouting/cleaner.py\n.*?)```", PLUGIN_DOCS, re.S)
    assert block, "the plugin guide's cleaner example is missing"
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "docs/plugins.md", "exec"), namespace)
    cls = namespace["ShoutingCleaner"]
    cleaner = cls()  # type: ignore[operator]
    assert cleaner.clean("BREAKING NEWS FROM THE CAPITAL\nThe vote passed.") == (
        "Breaking news from the capital\nThe vote passed."
    )
    # (a class made by exec() cannot be pickled, so check_picklable is left out here)
    check_never_raises(cleaner, 50)
    check_idempotent(cleaner, 50)
    check_keeps_clean_prose(cleaner, 50)


def test_changelog_mentions_the_current_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {newsclean.__version__}" in changelog


def test_plugin_guide_own_changes_example_reports_exact_changes() -> None:
    from hypothesis import given, settings

    from newsclean.changes import check_changes
    from newsclean.testing.strategies import dirty_news_text
    from newsclean.tracing import apply_edits

    block = re.search(r"```python\n(# src/newsclean_credits/cleaner.py\n.*?)```", PLUGIN_DOCS, re.S)
    assert block, "the plugin guide's example of a cleaner reporting its own changes is missing"
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "docs/plugins.md", "exec"), namespace)
    cleaner = namespace["PhotoCreditCleaner"]()  # type: ignore[operator]
    text = "The mayor spoke (Photo: Jane Doe/AP) on Monday (Video: Reuters)."
    result, changes = cleaner.explain(text)
    assert result == cleaner.clean(text) == "The mayor spoke on Monday."
    assert [(c.category, c.rule) for c in changes] == [("credit", "photo"), ("credit", "video")]

    @settings(max_examples=50)
    @given(dirty_news_text() | st_credits())
    def prop(text: str) -> None:
        result, changes = cleaner.explain(text)
        assert result == cleaner.clean(text) and check_changes(text, changes, result) is None
        trace = newsclean.Pipeline([cleaner]).trace(text)
        assert apply_edits(text, trace.edits) == trace.text == result

    prop()


def st_credits():  # type: ignore[no-untyped-def]
    from hypothesis import strategies as st

    pieces = st.sampled_from([" (Photo: A/B)", "(Image: x)", " (Video: y)", "(", ")", "text", " ", "\n"])
    return st.lists(pieces, max_size=10).map("".join)
