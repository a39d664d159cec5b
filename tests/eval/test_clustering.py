"""Clustering scorer on a small case computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.eval import clustering


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    # gold: a, b, c one event; d another; e noise. predicted: {a, b}, {c, d}, {e}
    gold = _write(tmp_path / "labels.jsonl", [
        {"id": "a", "event": "E1", "story": "S1"}, {"id": "b", "event": "E1", "story": "S1"},
        {"id": "c", "event": "E1", "story": "S1"}, {"id": "d", "event": "E2", "story": "S1"},
        {"id": "e", "event": "noise", "story": "noise"},
    ])
    export = _write(tmp_path / "export.jsonl", [
        {"id": "1", "source_name": "a.txt", "event_id": "x", "story_id": "s"},
        {"id": "2", "source_name": "b.txt", "event_id": "x", "story_id": "s"},
        {"id": "3", "source_name": "c.txt", "event_id": "y", "story_id": "s"},
        {"id": "4", "source_name": "d", "event_id": "y", "story_id": "s"},
        {"id": "5", "source_name": "e.txt", "event_id": "z", "story_id": "t"},
    ])
    return gold, export


def test_pairwise_and_bcubed_by_hand(files: tuple[Path, Path]) -> None:
    result = clustering.score(files[0], files[1], level="event")
    # gold pairs ab ac bc; predicted ab cd; shared ab
    assert result["pairwise"]["precision"] == pytest.approx(1 / 2, abs=1e-4)
    assert result["pairwise"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["pairwise"]["f1"] == pytest.approx(0.4, abs=1e-4)
    # per item P: 1, 1, 1/2, 1/2, 1; R: 2/3, 2/3, 1/3, 1, 1
    assert result["bcubed"]["precision"] == pytest.approx(0.8, abs=1e-4)
    assert result["bcubed"]["recall"] == pytest.approx(11 / 15, abs=1e-4)
    assert result["articles"] == 5 and result["missing"] == 0
    assert "bcubed" in clustering.report(result)


def test_story_level_and_noise_stand_alone(files: tuple[Path, Path]) -> None:
    result = clustering.score(files[0], files[1], level="story")
    # gold story S1 = a b c d (6 pairs), e alone; predicted s = a b c d, t = e
    assert result["pairwise"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0,
                                  "gold_pairs": 6, "predicted_pairs": 6}
    assert result["bcubed"]["f1"] == 1.0


def test_noise_articles_are_not_one_cluster(tmp_path: Path) -> None:
    gold = _write(tmp_path / "g.jsonl", [{"id": "a", "event": "noise"},
                                         {"id": "b", "event": "noise"}])
    export = _write(tmp_path / "e.jsonl", [{"source_name": "a", "event_id": "x"},
                                           {"source_name": "b", "event_id": "x"}])
    result = clustering.score(gold, export)
    assert result["pairwise"]["precision"] == 0.0  # the one predicted pair is wrong
    assert result["bcubed"]["precision"] == pytest.approx(0.5)


def test_join_key_strips_known_extensions_only() -> None:
    assert clustering.join_key("dev/articles/0001.txt") == "0001"
    assert clustering.join_key("0001") == "0001"
    assert clustering.join_key("report.v2") == "report.v2"


def test_bad_arguments(files: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        clustering.score(files[0], files[1], level="chapter")
    other = _write(tmp_path / "other.jsonl", [{"source_name": "zzz", "event_id": "x"}])
    with pytest.raises(ValueError):
        clustering.score(files[0], other)
