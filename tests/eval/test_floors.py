"""The grouping targets as a gate: the whole pipeline on the labeled dev corpora must keep
event, story and duplicate scores at or above the targets the project committed to (issue 3;
README "Quality"). A change that trades them away fails here, not in a note."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.eval import clustering, dedup
from storyline.eval.runner import build_export
from storyline.settings import Settings
from tests.conftest import SHARED, needs_shared

pytestmark = needs_shared

# (corpus, level, measure, F1 floor): the targets of issue 3; for dev-2 and dev-3 (stories of
# several developments) today's scores less a margin, a gate against regressions: issue 12's
# targets (events B-cubed 0.92) are not reached yet
CLUSTER_FLOORS = [
    ("dev", "event", "bcubed", 0.95), ("dev", "event", "pairwise", 0.95),
    ("dev-bi", "event", "bcubed", 0.90),
    ("dev", "story", "bcubed", 0.95), ("dev-bi", "story", "bcubed", 0.94),
    ("dev-2", "event", "bcubed", 0.83), ("dev-3", "event", "bcubed", 0.87),  # dev-2: .839
    # dev-3: .884 (corpus/mentioned.py's range gate, .875 before)
    # the story re-link (corpus/relink.py): dev-2 .848 -> .982, dev-3 .872 -> .951 (dev .956
    # and dev-bi .952 unchanged)
    ("dev-2", "story", "bcubed", 0.97), ("dev-3", "story", "bcubed", 0.94),
]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from storyline import settings as settings_mod
    cfg: Settings = settings_mod.load()
    out = {}
    for corpus in ("dev", "dev-bi", "dev-2", "dev-3"):
        work = tmp_path_factory.mktemp(corpus)
        out[corpus] = build_export([str(SHARED / "corpus" / corpus / "corpus.jsonl")], cfg,
                                   work, workers=2)
    return out


# The same sets ingested as plain article folders, as crawled (no URL, no outlet: most dates
# are crawl months), which is how outside checks feed them: events B-cubed F1, today's scores
# less a margin (issue 12: the news weekday lifted dev-bi 0.755 -> 0.857, dev-3 0.785 -> 0.835;
# weekdays checked against both an event's published days and its usual days, dev-2 0.675 ->
# 0.722; the event split, corpus/split.py: dev 0.870 -> 0.903, dev-2 0.722 -> 0.810, dev-3
# 0.823 -> 0.854, and dev-3 corpus.jsonl 0.779 -> 0.875; the mentioned-date range gate,
# corpus/mentioned.py: dev-2 0.810 -> 0.814)
# The second number: stories B-cubed F1 (the story re-link, corpus/relink.py: dev .863 ->
# .898, dev-2 .957 -> .982, dev-3 .801 -> .954; dev-bi .893 unchanged; and events, by the
# stray-member move inside the joined stories, dev-2 .814 -> .841, dev-3 .854 -> .863)
FOLDER_FLOORS = [("dev", 0.88, 0.89), ("dev-bi", 0.83, 0.88), ("dev-2", 0.82, 0.97),
                 ("dev-3", 0.85, 0.94)]


@pytest.mark.parametrize(("corpus", "floor", "story_floor"), FOLDER_FLOORS)
def test_plain_folders_stay_above_their_floor(tmp_path: Path, corpus: str,
                                              floor: float, story_floor: float) -> None:
    from storyline import settings as settings_mod
    export = build_export([str(SHARED / "corpus" / corpus / "articles")], settings_mod.load(),
                          tmp_path, workers=2)
    gold = SHARED / "corpus" / corpus / "labels.jsonl"
    result = clustering.score(gold, export)
    assert result["bcubed"]["f1"] >= floor, result["bcubed"]
    stories = clustering.score(gold, export, level="story")
    assert stories["bcubed"]["f1"] >= story_floor, stories["bcubed"]


@pytest.mark.parametrize(("corpus", "level", "measure", "floor"), CLUSTER_FLOORS)
def test_clustering_stays_above_its_target(exports: dict[str, Path], corpus: str, level: str,
                                           measure: str, floor: float) -> None:
    gold = SHARED / "corpus" / corpus / "labels.jsonl"
    result = clustering.score(gold, exports[corpus], level=level)
    assert result[measure]["f1"] >= floor, result[measure]


# (corpus, precision, recall floors): the targets of issue 3 on dev and dev-bi; on dev-2 and
# dev-3 what issue 12 reached (its target is P 0.97, R 0.92: dev-2 precision is short of it)
DEDUP_FLOORS = [("dev", 0.98, 0.95), ("dev-bi", 0.98, 0.95), ("dev-2", 0.90, 0.92),
                ("dev-3", 0.97, 0.92)]


@pytest.mark.parametrize(("corpus", "precision", "recall"), DEDUP_FLOORS)
def test_dedup_stays_above_its_target(exports: dict[str, Path], corpus: str, precision: float,
                                      recall: float) -> None:
    result = dedup.score(SHARED / "corpus" / corpus / "labels.jsonl", exports[corpus])
    pairs = result["pairwise"]
    assert pairs["gold_pairs"] > 0, pairs
    assert pairs["precision"] >= precision and pairs["recall"] >= recall, pairs
