"""Tests of the learned part of the boilerplate cleaner: features, languages, the shipped model and
its decoding (:mod:`newsclean.boilerplate`)."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.boilerplate import features, languages, model
from newsclean.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = json.loads(resources.files("newsclean.boilerplate").joinpath(model.MODEL_DATA).read_text(encoding="utf-8"))


# -- the shipped model agrees with the code ----------------------------------------------------------


def test_shipped_model_matches_the_feature_code():
    assert SHIPPED["format"] == model.MODEL_FORMAT
    assert SHIPPED["version"] == model.MODEL_VERSION
    assert tuple(SHIPPED["features"]) == features.FEATURES
    assert tuple(SHIPPED["score_features"]) == features.SCORE_CONTEXT
    loaded = model.load()
    assert set(loaded.presets) == {"conservative", "balanced", "aggressive"}
    # the presets are ordered: conservative keeps the most
    assert loaded.presets["conservative"] >= loaded.presets["balanced"] >= loaded.presets["aggressive"]
    # every split refers to a feature the stage has
    for stage, width in ((loaded.lines, len(features.FEATURES)),
                         (loaded.context, len(features.FEATURES) + len(features.SCORE_CONTEXT))):
        assert stage.trees
        assert all(node[0] < width for nodes in stage.trees for node in nodes if len(node) == 5)


def test_shipped_model_names_its_data_and_learner():
    assert "aeb-dev.jsonl" in SHIPPED["data"]
    assert all(len(digest) == 64 for digest in SHIPPED["data"].values())
    assert SHIPPED["trained_by"] == "training/train_boilerplate.py"
    assert SHIPPED["cross_validation"]["conservative"]["dump"]["kept"] >= 0.98


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": model.MODEL_VERSION + 1}, "rebuild it"),
        ({"format": "something-else"}, "rebuild it"),
        ({"features": [*SHIPPED["features"][:-1], "renamed"]}, "other features"),
        ({"score_features": SHIPPED["score_features"][:-1]}, "other features"),
    ],
)
def test_a_model_made_for_other_code_is_refused(change, message):
    with pytest.raises(ConfigError, match=message):
        model.parse({**SHIPPED, **change})


def test_a_malformed_tree_is_refused():
    broken = json.loads(json.dumps(SHIPPED))
    broken["stages"]["lines"]["trees"][0][0][2] = 10_000  # a child that does not exist
    with pytest.raises(ConfigError, match="out of range"):
        model.parse(broken)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-3, 3, allow_nan=False), min_size=len(features.FEATURES) + len(features.SCORE_CONTEXT),
                max_size=len(features.FEATURES) + len(features.SCORE_CONTEXT)))
def test_compiled_trees_score_exactly_like_walking_them(row):
    loaded = model.load()
    width = len(features.FEATURES)
    assert loaded.lines.scorer(row[:width]) == loaded.lines.score(row[:width])
    assert loaded.context.scorer(row) == loaded.context.score(row)


def test_stop_word_build_script_is_current():
    pytest.importorskip("justext", reason="needs the train extra (jusText's stop lists)")
    result = subprocess.run([sys.executable, str(ROOT / "training" / "build_stopwords.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_stop_word_licence_ships_with_the_lists():
    folder = resources.files("newsclean.boilerplate").joinpath("data")
    licence = folder.joinpath("stopwords.LICENSE").read_text(encoding="utf-8")
    assert "Jan Pomikalek" in licence and "Redistribution" in licence
    assert "stopwords.LICENSE" in json.loads(folder.joinpath("stopwords.json").read_text(encoding="utf-8"))["licence"]


# -- decoding ------------------------------------------------------------------------------------------


def brute_force(scores: list[float], bias: float, cost: float) -> float:
    """The best total of any labelling, by trying them all."""
    best = -math.inf
    for labels in itertools.product((False, True), repeat=len(scores)):
        total = sum((s + bias) / 2 if keep else -(s + bias) / 2 for s, keep in zip(scores, labels, strict=True))
        total -= cost * sum(a != b for a, b in itertools.pairwise(labels))
        best = max(best, total)
    return best


def total(scores: list[float], labels: list[bool], bias: float, cost: float) -> float:
    value = sum((s + bias) / 2 if keep else -(s + bias) / 2 for s, keep in zip(scores, labels, strict=True))
    return value - cost * sum(a != b for a, b in itertools.pairwise(labels))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-6, 6, allow_nan=False), max_size=8), st.floats(-3, 3), st.floats(0, 4))
def test_viterbi_finds_the_best_labelling(scores, bias, cost):
    labels = model.decode(scores, bias, cost)
    assert len(labels) == len(scores)
    if scores:
        assert total(scores, labels, bias, cost) == pytest.approx(brute_force(scores, bias, cost), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-6, 6, allow_nan=False), max_size=40), st.floats(-3, 3))
def test_without_a_switching_cost_decoding_is_a_threshold(scores, bias):
    labels = model.decode(scores, bias, 0.0)
    # (scores within a hair of the threshold are ties either way)
    assert all(label == (s + bias > 0) for s, label in zip(scores, labels, strict=True) if abs(s + bias) > 1e-9)


def test_switching_cost_smooths_a_lone_line():
    scores = [4.0, 4.0, -0.5, 4.0, 4.0, -4.0, -4.0, 0.5, -4.0]
    assert model.decode(scores, 0.0, 0.0) == [True, True, False, True, True, False, False, True, False]
    assert model.decode(scores, 0.0, 1.0) == [True, True, True, True, True, False, False, False, False]


def test_decoding_is_linear():
    import time

    def timed(n: int) -> float:
        scores = [(-1) ** i * 0.3 for i in range(n)]
        start = time.perf_counter()
        model.decode(scores, 0.0, 1.0)
        return time.perf_counter() - start

    small = min(timed(20_000) for _ in range(3))
    big = min(timed(40_000) for _ in range(3))
    assert big < small * 4 + 0.02


# -- features --------------------------------------------------------------------------------------------


def test_describe_strips_list_markers_and_indentation():
    line = features.describe("      * Politics")
    assert (line.text, line.marker, line.indent, line.words) == ("Politics", True, 6, 1)
    assert features.describe("  + 12 December 2024").text == "12 December 2024"
    assert features.describe("3. Add the flour and stir.").marker
    plain = features.describe("The mayor said so.")
    assert not plain.marker and plain.indent == 0
    assert features.describe("  *  ").text == "*"  # a bare marker stays itself


def test_words_of_scripts_without_spaces():
    # Chinese and Japanese have no spaces between words: characters count, about two per word
    assert features.describe("東京都は月曜日に新しい計画を発表した。").words >= 8
    assert features.describe("서울시는 월요일 새 계획을 발표했다").words == 5  # Korean puts spaces between words


def test_feature_rows_have_every_feature():
    text = "Home\nWorld\n\nThe mayor said the plan would cost the city more than it had expected.\nShare"
    rules = [(None, False)] * 5
    index, rows, language = features.document_features(text.split("\n"), rules)
    assert index == [0, 1, 3, 4]
    assert all(len(row) == len(features.FEATURES) for row in rows)
    assert language == "en"
    assert all(math.isfinite(v) for row in rows for v in row)
    context = features.score_context([0.1, 0.2, 0.9, 0.1], [4, 5, 70, 5])
    assert len(context) == 4 and all(len(r) == len(features.SCORE_CONTEXT) for r in context)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=30))
def test_features_never_fail_and_stay_finite(lines):
    index, rows, _ = features.document_features(lines, [(None, False)] * len(lines))
    assert len(index) == len(rows)
    assert all(len(row) == len(features.FEATURES) and all(math.isfinite(v) for v in row) for row in rows)
    context = features.score_context([0.5] * len(rows), [len(lines[i]) for i in index])
    assert all(math.isfinite(v) for row in context for v in row)


def test_main_run_finds_the_article():
    lines = [
        "Home", "World", "Business", "",
        "Harbour officials closed the northern quay on Monday after inspectors found cracks.",
        "Repairs are expected to take six weeks and cost the port about four million pounds.",
        "Photo: harbour authority",
        "Crews that use the quay will move to the southern basin until the work is finished.",
        "", "Most read", "Storm closes coast road", "Council votes on budget",
    ]
    first, last, prose = features.main_run(lines)
    assert (first, last) == (4, 7)
    assert prose[4] and not prose[6]
    assert features.main_run(["Home", "World"])[:2] == (0, -1)
    # a line that may not count as prose (a later copy) is not a reason to start the run there
    assert features.main_run(lines, not_prose={4})[:2] == (5, 7)


# -- languages -----------------------------------------------------------------------------------------


def guess(text: str) -> str | None:
    return languages.guess(t for line in text.split("\n") for t in features.describe(line).tokens)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The council said on Monday that it would not be able to finish the work before the end of the year.",
         "en"),
        ("Die Stadt hat am Montag erklärt, dass sie die Arbeiten nicht vor dem Ende des Jahres abschließen kann.",
         "de"),
        ("A prefeitura disse na segunda-feira que não vai conseguir terminar as obras antes do fim do ano.", "pt"),
        ("Городские власти заявили в понедельник, что не смогут закончить работы до конца года, как это было "
         "обещано.", "ru"),
        ("Pemerintah kota mengatakan pada hari Senin bahwa pekerjaan itu tidak akan selesai sebelum akhir tahun "
         "ini.", "id"),
        ("Il comune ha detto lunedì che non riuscirà a finire i lavori prima della fine dell'anno, come era stato "
         "promesso.", "it"),
        ("El ayuntamiento dijo el lunes que no podrá terminar las obras antes de que acabe el año, como se había "
         "prometido.", "es"),
    ],
)
def test_language_guess(text, expected):
    assert guess(text) == expected


def test_language_guess_declines_short_or_unknown_text():
    assert guess("Home\nWorld") is None
    assert guess("") is None
    assert guess("12345 67 890") is None


def test_every_listed_language_has_stop_words():
    codes = languages.languages()
    assert {"en", "de", "fr", "es", "pt", "it", "ru", "id", "ko", "nl", "pl", "tr"} <= set(codes)
    for code in codes:
        words = languages.stopwords(code)
        assert 50 <= len(words) <= 200, code
        assert all(w == w.lower() for w in words)
    assert languages.stopwords("xx") == frozenset()


def test_the_model_pickles_without_its_compiled_code():
    import pickle

    loaded = model.load()
    row = [0.5] * len(features.FEATURES)
    assert loaded.lines.scorer(row) == loaded.lines.score(row)
    copy = pickle.loads(pickle.dumps(loaded))
    assert copy == loaded and copy.lines.scorer(row) == loaded.lines.score(row)
