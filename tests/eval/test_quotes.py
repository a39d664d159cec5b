"""Quotes scorer on a tiny hand-made gold in the SpkAtt-2023 format, numbers computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.eval import quotes as ev

SENTS = [
    ["Der", "Minister", "sagte", ",", "die", "Lage", "sei", "ernst", "."],
    ["Die", "Polizei", "ermittelt", "noch", "wegen", "Brandstiftung", "."],
]


def _write(tmp_path: Path) -> Path:
    doc = {
        "DocumentName": "hand-made",
        "Sentences": [{"SentenceId": i, "Tokens": t} for i, t in enumerate(SENTS)],
        "Annotations": [
            # the stage finds "die Lage sei ernst" (4 tokens) with source "Der Minister"
            {"Message": ["0:5", "0:6", "0:7"], "Source": ["0:1"], "IsNested": False},
            # a statement without any cue: the stage does not find it
            {"Message": [f"1:{i}" for i in range(7)], "Source": ["1:0", "1:1"],
             "IsNested": False},
            # nested annotations are not part of the simplified subtask
            {"Message": ["0:7"], "Source": ["0:0"], "IsNested": True},
        ],
    }
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "1.json").write_text(json.dumps(doc), "utf-8")
    return folder


def test_detokenize_maps_tokens_back() -> None:
    text, spans = ev.detokenize([["„", "Ja", "“", ",", "sagte", "er", "."]])
    assert text == "„Ja“, sagte er."
    assert [text[s:e] for s, e in spans] == ["„", "Ja", "“", ",", "sagte", "er", "."]


def test_token_mode_by_hand(tmp_path: Path) -> None:
    r = ev.score(_write(tmp_path))
    assert r["gold"] == 2 and r["predicted"] == 1
    # message: tp 3 ("Lage sei ernst"), fp 1 ("die"), fn 7 (the unfound sentence)
    assert r["message"]["precision"] == pytest.approx(3 / 4)
    assert r["message"]["recall"] == pytest.approx(3 / 10)
    # source: predicted "Der Minister" vs gold "Minister": tp 1, fp 1, fn 0 + 2 unfound
    assert r["source"]["precision"] == pytest.approx(1 / 2)
    assert r["source"]["recall"] == pytest.approx(1 / 3)
    # joint: tp 4, fp 2, fn 9
    assert r["joint"]["precision"] == pytest.approx(4 / 6)
    assert r["joint"]["recall"] == pytest.approx(4 / 13)
    assert "message" in ev.report(r)


def test_span_mode_by_hand(tmp_path: Path) -> None:
    r = ev.score(_write(tmp_path), mode="spans")
    # message overlap F1 = 2*3/(4+3) = 0.86 >= 0.5: 1 of 1 predicted, 1 of 2 gold
    assert r["message"]["precision"] == 1.0 and r["message"]["recall"] == 0.5
    # source overlap F1 = 2*1/(2+1) = 0.67 >= 0.5
    assert r["source"]["precision"] == 1.0 and r["source"]["recall"] == 0.5
    assert r["joint"]["f1"] == pytest.approx(2 / 3)


def test_assignment_pairs_one_to_one() -> None:
    a, b = frozenset(range(0, 10)), frozenset(range(10, 15))
    pred = [(a | b, frozenset({30}))]  # one prediction covering two gold messages
    gold = [(a, frozenset({30})), (b, frozenset({31}))]
    c = {k: [0.0, 0.0, 0.0] for k in ("message", "source", "joint")}
    ev._count(pred, gold, "tokens", c)
    assert c["message"] == [10, 5, 5]  # paired with the larger overlap only
    assert c["source"] == [1, 0, 1]


def test_bad_mode_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        ev.score(_write(tmp_path), mode="fuzzy")
