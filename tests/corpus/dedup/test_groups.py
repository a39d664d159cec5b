"""Dedup on partial and re-edited copies: teasers, bridging copies, shared quotes, floods."""

from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path

import pytest

from storyline import settings as settings_mod
from storyline.corpus.dedup import MAX_CHECKS, DedupIndex
from storyline.corpus.dedup.confirm import is_duplicate
from storyline.corpus.dedup.narrative import pieces, quoted_spans
from storyline.corpus.features import featurize
from storyline.model import Article
from storyline.settings import Settings
from tests.conftest import SHARED

CORPUS = SHARED / "corpus"


@pytest.fixture(scope="module")
def cfg() -> Settings:
    if not (SHARED / "seeds").exists():
        pytest.skip("../shared not available")
    return settings_mod.load(path=Path("/nonexistent"))


def art(name: str, text: str, outlet: str = "") -> Article:
    a = Article(source=name, raw_text=text, source_name=name, text=text, lang="de")
    a.outlet = outlet or f"{name}.example"
    return a


def seed_body(prefix: str) -> str:
    text = next((SHARED / "seeds").glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    return text.split("\n", 1)[1].strip() if text.startswith(" date") else text.strip()


def test_quotes_and_embeds_are_not_narrative() -> None:
    para = 'Er sagte: „Wir bleiben hier.“ Dann ging er. "Nie wieder", rief sie.'
    spans = [para[s:e] for s, e in quoted_spans(para)]
    assert spans == ["„Wir bleiben hier.“", '"Nie wieder"']
    statement = 'He said in a statement:\n\n"I am shocked by the events.\n\n"I accept it."\nEnd.'
    assert pieces(statement) == ["He said in a statement:", "End."]
    assert pieces("Video: attack in #Chemnitz today\nNormal text here.") == ["Normal text here."]


def test_teaser_first_then_full_text_becomes_canonical(cfg: Settings) -> None:
    """A 450-character teaser of the first paragraphs arrives before the full text."""
    full_text = seed_body("001")
    teaser = full_text[:450].rsplit(" ", 1)[0] + " …"
    index = DedupIndex(cfg)
    short, full = art("teaser", teaser), art("full", full_text)
    assert index.add(short.id, featurize(short, cfg)) is None
    assert index.add(full.id, featurize(full, cfg)) is None  # the full text is canonical
    assert index.followed == short.id
    assert index.groups.take_changes() == {short.id: full.id, full.id: None}


def test_a_copy_bridging_two_parts_makes_one_group(cfg: Settings) -> None:
    """The start and the end of one text share nothing; the full copy joins both."""
    paragraphs = seed_body("001").split("\n\n")
    half = len(paragraphs) // 2
    start = art("start", "\n\n".join(paragraphs[:half]))
    end = art("end", "\n\n".join(paragraphs[half:]))
    full = art("full", "\n\n".join(paragraphs))
    index = DedupIndex(cfg)
    assert index.add(start.id, featurize(start, cfg)) is None
    assert index.add(end.id, featurize(end, cfg)) is None
    index.add(full.id, featurize(full, cfg))
    assert {index.groups.canonical(a.id) for a in (start, end, full)} == {full.id}


def hard_negatives(split: str) -> list[tuple[str, str, str]]:
    """Pairs the labels keep apart because they share only a quote, statement or tweet."""
    path = CORPUS / split / "dup_pairs.tsv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(r["id_a"], r["id_b"], r["reason"]) for r in rows
            if r["decision"] == "not grouped"
            and any(w in r["reason"] for w in ("quote", "tweet", "statement"))]


@pytest.mark.parametrize("split", ["dev-2", "dev-3"])
def test_pairs_sharing_only_quotes_are_not_copies(cfg: Settings, split: str) -> None:
    texts = {r["id"]: r for r in map(json.loads, (CORPUS / split / "corpus.jsonl").open())}
    pairs = hard_negatives(split)
    assert pairs
    for a, b, why in pairs:
        fa, fb = (featurize(art(i, texts[i]["text"], texts[i]["outlet"]), cfg) for i in (a, b))
        assert not is_duplicate(fa, fb, cfg).duplicate, (a, b, why)


def test_five_hundred_copies_cost_bounded_time(cfg: Settings) -> None:
    base = seed_body("003")
    words = base.split()
    index = DedupIndex(cfg)
    times, ids = [], []
    for i in range(500):
        changed = list(words)
        changed[(i * 7) % len(words)] = f"Wort{i}"
        a = art(f"c{i}", " ".join(changed))
        feats = featurize(a, cfg)
        ids.append(a.id)
        started = time.perf_counter()
        index.add(a.id, feats)
        times.append(time.perf_counter() - started)
        assert index.checks <= MAX_CHECKS
    assert len({index.groups.canonical(i) for i in ids}) == 1
    assert sum(times[-100:]) < 3 * sum(times[100:200]) + 0.05  # flat, not growing


def test_one_batch_or_ten_with_saved_state_give_the_same_groups(cfg: Settings) -> None:
    rows = [json.loads(line) for line in (CORPUS / "dev-3" / "corpus.jsonl").open()]
    arts = [art(r["id"], r["text"], r["outlet"]) for r in rows]
    feats = [featurize(a, cfg) for a in arts]
    whole = DedupIndex(cfg)
    for a, f in zip(arts, feats, strict=True):
        whole.add(a.id, f)
    index = DedupIndex(cfg)
    for start in range(0, len(arts), 16):
        for a, f in zip(arts[start:start + 16], feats[start:start + 16], strict=True):
            index.add(a.id, f)
        index = DedupIndex.from_state(index.to_state(), cfg)
    assert [index.groups.canonical(a.id) for a in arts] == \
        [whole.groups.canonical(a.id) for a in arts]
    assert sum(whole.groups.canonical(a.id) != a.id for a in arts) >= 15


def test_a_copy_of_a_statement_is_a_copy(cfg: Settings) -> None:
    """A text that is nearly all quotation has no narrative to compare: the whole decides."""
    body = seed_body("001").split("\n\n")
    plain = [re.sub(r"[„“”\"»«]", "", p).strip() for p in body]
    statement = "\n\n".join(f"„{p}“" for p in plain if p)
    a, b = art("s1", statement), art("s2", statement + "\n\nFoto: dpa")
    assert is_duplicate(featurize(a, cfg), featurize(b, cfg), cfg).duplicate


def test_anchor_index_keeps_the_latest_live_postings() -> None:
    """Wherever the small/large split falls and whatever retired, a query answers the same."""
    import numpy as np

    from storyline.corpus.dedup import anchors as anchors_mod

    def build(merge_every: int) -> anchors_mod.AnchorIndex:
        index = anchors_mod.AnchorIndex()
        for seq in range(100):
            index.add(seq, np.array([4, 8 + 4 * (seq % 3)], dtype=np.uint32))
            if seq % merge_every == merge_every - 1:
                index.retire_before(seq // 4)
                index._small, index._large = anchors_mod._EMPTY, np.sort(
                    np.concatenate([index._large, index._small]))
        index.retire_before(25)
        return index

    answers = []
    for every in (1, 7, 1000):
        seqs, counts = build(every).query(np.array([4, 12], dtype=np.uint32))
        answers.append((seqs.tolist(), counts.tolist()))
    assert answers[0] == answers[1] == answers[2]
    seqs_list, counts_list = answers[0]
    assert min(seqs_list) >= 25 and max(seqs_list) == 99
    assert sum(c == 2 for c in counts_list) == len([s for s in range(68, 100) if s % 3 == 1])
