"""The numpy CRF tags exactly as crfsuite does with the same model, on real German text."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.stages import entities
from storyline.stages.entities import crf as entities_crf
from storyline.stages.entities.features import token_features
from tests.conftest import SHARED_REASON

GERMEVAL = (Path(__file__).resolve().parents[3] / ".." / "shared" / "gold" / "germeval2014-ner"
            / "NER-de-dev.tsv")
SEEDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds"


def germeval_sentences(limit: int) -> list[list[str]]:
    if not GERMEVAL.is_file():
        pytest.skip(SHARED_REASON)
    sents: list[list[str]] = []
    current: list[str] = []
    for line in GERMEVAL.open(encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if line.startswith("#"):
            continue
        if len(parts) < 3:
            if current:
                sents.append(current)
                current = []
            if len(sents) >= limit:
                break
            continue
        current.append(parts[1])
    return sents


def crfsuite_tags(sents: list[list[str]]) -> list[list[str]]:
    crf = entities.tagger()
    return [list(crf.tag(token_features(s))) for s in sents]  # type: ignore[attr-defined]


def test_model_reads_labels_and_every_attribute() -> None:
    crf = entities_crf.model()
    assert crf.labels == list(entities.tagger().labels())  # type: ignore[attr-defined]
    assert len(crf.attrs) == len(crf.weights) - 1
    assert "b" in crf.attrs and crf.weights[crf.zero].sum() == 0.0
    assert crf.row("w=no-such-word-anywhere") == crf.zero


def test_germeval_tags_equal_crfsuite_in_batches_and_alone() -> None:
    sents = germeval_sentences(800)
    expected = crfsuite_tags(sents)
    batched = [t for i in range(0, len(sents), 40)
               for t in entities_crf.tag_sentences(sents[i:i + 40])]
    assert batched == expected
    assert [entities.tag_words(s) for s in sents[:100]] == expected[:100]
    assert sum(label != "O" for tags in expected for label in tags) > 500  # not all O


def test_seed_reports_tag_as_crfsuite_does() -> None:
    if not SEEDS.is_dir():
        pytest.skip(SHARED_REASON)
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text("utf-8")
        sents = [[text[a:b] for a, b in s]
                 for s in entities.sentences(text, entities.tokenize(text))]
        assert entities_crf.tag_sentences(sents) == crfsuite_tags(sents)


def test_empty_sentences_and_a_full_word_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    sents = [[], ["„", "Lawrow", "sagte", ":", "Aleppo", "."], [], ["Kerry"]]
    expected = [[], *crfsuite_tags(sents[1:2]), [], *crfsuite_tags(sents[3:])]
    assert entities_crf.tag_sentences(sents) == expected
    assert entities_crf.tag_sentences([]) == []
    monkeypatch.setattr(entities_crf, "WORD_CACHE", 8)  # emptied on almost every call
    table = entities_crf.Words(entities_crf.model())
    monkeypatch.setattr(entities_crf, "words_of", lambda name: table)
    more = germeval_sentences(60)
    assert entities_crf.tag_sentences(sents) == expected
    assert entities_crf.tag_sentences(more) == crfsuite_tags(more)
    assert set(table.index) == {w for s in more for w in s}  # emptied before the last call


def test_not_a_model_is_refused() -> None:
    with pytest.raises(ValueError):
        entities_crf.read_model(b"not a crfsuite model at all, no header" * 2)


def test_english_model_tags_as_crfsuite_does() -> None:
    text = ("Russian Foreign Minister Sergey Lavrov met U.S. Secretary of State John Kerry in "
            "Geneva on Friday. The State Department said Kerry's talks with Lavrov went on. "
            "Microsoft and the United Nations were not involved, a spokesman said in New York.")
    sents = [[text[a:b] for a, b in s]
             for s in entities.sentences(text, entities.tokenize(text, "en"))]
    crf = entities.tagger("ner-en")
    expected = [list(crf.tag(token_features(s))) for s in sents]  # type: ignore[attr-defined]
    assert entities_crf.tag_sentences(sents, "ner-en") == expected
    assert sum(label.startswith("B-") for tags in expected for label in tags) >= 6
