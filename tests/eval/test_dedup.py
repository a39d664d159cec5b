"""Dedup scorer: predicted groups follow duplicate_of chains."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.eval import dedup


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_pairs_by_hand(tmp_path: Path) -> None:
    gold = _write(tmp_path / "labels.jsonl", [
        {"id": "a", "dup_group": "g"}, {"id": "b", "dup_group": "g"},
        {"id": "c", "dup_group": "g"}, {"id": "d", "dup_group": None},
        {"id": "e", "dup_group": None},
    ])
    # c points to b which points to a: one chain; d wrongly joins it; e stands alone
    export = _write(tmp_path / "export.jsonl", [
        {"id": "ia", "source_name": "a.txt", "duplicate_of": None},
        {"id": "ib", "source_name": "b.txt", "duplicate_of": "ia"},
        {"id": "ic", "source_name": "c.txt", "duplicate_of": "ib"},
        {"id": "id", "source_name": "d.txt", "duplicate_of": "ia"},
        {"id": "ie", "source_name": "e.txt", "duplicate_of": None},
    ])
    result = dedup.score(gold, export)
    m = result["pairwise"]
    assert (m["gold_pairs"], m["predicted_pairs"]) == (3, 6)
    assert m["precision"] == pytest.approx(0.5)
    assert m["recall"] == 1.0
    assert m["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert "pairwise" in dedup.report(result)


def test_chain_cycle_does_not_hang(tmp_path: Path) -> None:
    gold = _write(tmp_path / "g.jsonl", [{"id": "a", "dup_group": "g"},
                                         {"id": "b", "dup_group": "g"}])
    export = _write(tmp_path / "e.jsonl", [
        {"id": "ia", "source_name": "a", "duplicate_of": "ib"},
        {"id": "ib", "source_name": "b", "duplicate_of": "ia"},
    ])
    assert dedup.score(gold, export)["articles"] == 2
