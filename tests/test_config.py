"""Configuration: TOML files, [tool.newsclean] in pyproject.toml, --set parsing and merging."""

from __future__ import annotations

import pytest

from newsclean import ConfigError, Pipeline
from newsclean.config import Config, find_project_config, load_config, parse_assignments, resolve_config


def test_load_config_top_level_and_tool_table(tmp_path):
    plain = tmp_path / "nc.toml"
    plain.write_text('only = ["whitespace"]\nfields = ["body"]\n[options.whitespace]\nmax_blank_lines = 2\n')
    config = load_config(plain)
    assert config.only == ("whitespace",) and config.fields == ("body",)
    assert config.options == {"whitespace": {"max_blank_lines": 2}}
    assert config.pipeline().clean("a\n\n\n\n\nb") == "a\n\n\nb"
    nested = tmp_path / "other.toml"
    nested.write_text('[tool.newsclean]\ndisable = ["whitespace"]\n')
    assert load_config(nested).disable == ("whitespace",)


def test_project_config_is_found_only_in_pyproject(tmp_path):
    assert find_project_config(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_project_config(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[tool.newsclean]\nonly = "whitespace"\n')
    assert find_project_config(tmp_path).only == ("whitespace",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("onyl = []\n", "unknown key 'onyl' (did you mean 'only'?)"),
        ('enable = "x"\nenable = "y"\n', "not valid TOML"),
        ("disable = [1]\n", "'disable' must be a list of names"),
        ("options = 3\n", "'options' must be a table of tables"),
    ],
)
def test_invalid_files_are_config_errors_naming_the_file(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=r"bad\.toml") as info:
        load_config(path)
    assert message in str(info.value)


def test_missing_config_file():
    with pytest.raises(ConfigError, match="does not exist"):
        load_config("/nonexistent/newsclean.toml")


def test_unknown_cleaner_or_option_in_a_file_names_the_source(tmp_path):
    path = tmp_path / "nc.toml"
    path.write_text('[options.whitespace]\nmax_blank_line = 2\n')
    with pytest.raises(ConfigError, match=r"max_blank_lines.*nc\.toml"):
        load_config(path).pipeline()
    path.write_text('enable = ["whitespac"]\n')
    with pytest.raises(ConfigError, match=r"did you mean 'whitespace'"):
        load_config(path).pipeline()


def test_parse_assignments():
    assert parse_assignments(["whitespace.max_blank_lines=2", "a.b = x,y"]) == {
        "whitespace": {"max_blank_lines": "2"},
        "a": {"b": "x,y"},
    }
    for bad in ["whitespace=2", "whitespace.max_blank_lines", ".x=1"]:
        with pytest.raises(ConfigError, match=r"CLEANER\.OPTION=VALUE"):
            parse_assignments([bad])


def test_merging_later_sources_win():
    base = Config(only=("a", "b"), enable=("x",), disable=("y",), options={"w": {"n": 1, "m": 2}}, fields=("t",))
    later = Config(enable=("y",), disable=("x",), options={"w": {"n": 5}})
    merged = base.merged(later)
    assert merged.only == ("a", "b") and merged.fields == ("t",)
    assert merged.enable == ("y",) and merged.disable == ("x",)
    assert merged.options == {"w": {"n": 5, "m": 2}}
    assert base.merged(Config(only=("c",))).only == ("c",)


def test_resolve_config_precedence(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsclean]\ndisable = ["whitespace"]\n[tool.newsclean.options.whitespace]\nmax_blank_lines = 3\n'
    )
    from_project = resolve_config(folder=tmp_path)
    assert "whitespace" not in from_project.pipeline().names
    cli = resolve_config(folder=tmp_path, enable=["whitespace"], assignments=["whitespace.max_blank_lines=0"])
    assert cli.pipeline().clean("a\n\n\nb") == "a\nb"
    ignored = resolve_config(folder=tmp_path, project=False)
    assert ignored.pipeline() == Pipeline.default()
    other = tmp_path / "other.toml"
    other.write_text('only = ["whitespace"]\n')
    explicit = resolve_config(other, folder=tmp_path)  # --config replaces pyproject.toml
    assert explicit.pipeline().names == ("whitespace",)
    with pytest.raises(ConfigError, match="both enabled and disabled"):
        resolve_config(project=False, enable=["whitespace"], disable=["whitespace"])


def test_only_runs_in_default_order_and_rejects_unknown_names():
    assert resolve_config(project=False, only=["whitespace"]).pipeline().names == ("whitespace",)
    assert resolve_config(project=False, only=["whitespace"], disable=["whitespace"]).pipeline().names == ()
    with pytest.raises(ConfigError, match="unknown cleaner 'nope'"):
        resolve_config(project=False, only=["nope"]).pipeline()


def test_options_enable_a_cleaner_unless_a_source_disables_it(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsclean]\nonly = ["whitespace"]\n[tool.newsclean.options.quotes]\nascii_dashes = true\n'
    )
    assert resolve_config(folder=tmp_path).pipeline().names == ("quotes", "whitespace")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsclean]\nonly = ["whitespace"]\ndisable = ["quotes"]\n[tool.newsclean.options.quotes]\n'
        "ascii_dashes = true\n"
    )
    assert resolve_config(folder=tmp_path).pipeline().names == ("whitespace",)  # kept for a later --enable
    again = resolve_config(folder=tmp_path, assignments=["quotes.ascii_ellipsis=true"])  # --set re-enables it
    assert again.pipeline().names == ("quotes", "whitespace")
    assert again.pipeline().cleaners[0].config["ascii_dashes"] is True
    assert resolve_config(folder=tmp_path, enable=["quotes"]).pipeline().names == ("quotes", "whitespace")
    with pytest.raises(ConfigError, match="the command line: cleaner 'quotes' is both given options and disabled"):
        resolve_config(project=False, disable=["quotes"], assignments=["quotes.ascii_dashes=true"])


def test_rule_packs_merge_like_cleaners(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.newsclean]\ndisable_rules = ["en"]\nenable_rules = ["de"]\n')
    config = resolve_config(folder=tmp_path, enable_rules=["en"])
    assert (config.enable_rules, config.disable_rules) == (("de", "en"), ())
    assert "en" in config.pipeline().rule_packs
    with pytest.raises(ConfigError, match="unknown rule pack 'xx'"):
        resolve_config(project=False, disable_rules=["xx"]).pipeline()
    with pytest.raises(ConfigError, match="rule pack 'en' is both enabled and disabled"):
        resolve_config(project=False, enable_rules=["en"], disable_rules=["en"])


def test_options_kept_for_a_disabled_cleaner_are_still_checked(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsclean]\ndisable = ["quotes"]\n[tool.newsclean.options.quotes]\nascii_dashs = true\n'
    )
    with pytest.raises(ConfigError, match="unknown option 'ascii_dashs' for cleaner 'quotes'"):
        resolve_config(folder=tmp_path).pipeline()
