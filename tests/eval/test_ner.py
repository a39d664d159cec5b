"""The GermEval scorer on a hand-made TSV with hand-computed scores."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from storyline.eval.ner import map_tag, read_germeval, report, score

TSV = """#\thttp://www.spiegel.de/a.html\t[2010-01-01]
1\tSergej\tB-PER\tO
2\tLawrow\tI-PER\tO
3\tflog\tO\tO
4\tnach\tO\tO
5\tGenf\tB-LOC\tO
6\tzur\tO\tO
7\tUNO\tB-ORG\tO
8\t.\tO\tO

#\thttp://de.wikipedia.org/wiki/X\t[2009-01-01]
1\tDie\tO\tO
2\tdeutsche\tB-LOCderiv\tO
3\tBahn\tB-ORG\tO
4\tfährt\tO\tO
5\tnach\tO\tO
6\tBerlin\tB-LOC\tO
7\t.\tO\tO
"""

# What a tagger "predicts", by sentence: the PER and Genf exact, a wrong type for UNO
# (UNO as LOC), the deriv word tagged LOC (a false positive: deriv counts as O) and Berlin.
PREDICTED = [
    ["B-PER", "I-PER", "O", "O", "B-LOC", "O", "B-LOC", "O"],
    ["O", "B-LOC", "O", "O", "O", "B-LOC", "O"],
]


@pytest.fixture()
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.tsv"
    path.write_text(TSV, "utf-8")
    return path


def test_tags_are_mapped() -> None:
    assert map_tag("B-LOCderiv") == "O"
    assert map_tag("I-ORGpart") == "O"
    assert map_tag("B-OTH") == "B-MISC"
    assert map_tag("I-PER") == "I-PER"


def test_reader(gold: Path) -> None:
    sents = read_germeval(gold)
    assert [len(s.words) for s in sents] == [8, 7]
    assert [s.news for s in sents] == [True, False]
    assert sents[1].tags[1] == "O"


def test_scores_by_hand(gold: Path) -> None:
    answers = iter(PREDICTED)

    def tagger(words: Sequence[str]) -> list[str]:
        return next(answers)

    result = score(gold, tagger=tagger)
    every = result["all"]
    # gold: PER 1, LOC 2 (Genf, Berlin), ORG 2 (UNO, Bahn); predicted: PER 1, LOC 4, ORG 0
    assert every["PER"]["precision"] == 1.0 and every["PER"]["recall"] == 1.0
    assert every["LOC"]["precision"] == pytest.approx(2 / 4)
    assert every["LOC"]["recall"] == pytest.approx(2 / 2)
    assert every["LOC"]["f1"] == pytest.approx(2 / 3)
    assert every["ORG"]["recall"] == 0.0 and every["ORG"]["f1"] == 0.0
    # micro: tp 3, predicted 5, gold 5
    assert every["micro"]["precision"] == pytest.approx(3 / 5)
    assert every["micro"]["f1"] == pytest.approx(3 / 5)
    news = result["news"]  # first sentence only: tp 2 (PER, Genf), pred 3, gold 3
    assert news["micro"]["precision"] == pytest.approx(2 / 3)
    assert news["LOC"]["precision"] == pytest.approx(1 / 2)
    text = report(result)
    assert "micro" in text and "news" in text


def test_the_shipped_model_scores_the_tiny_set(gold: Path) -> None:
    result = score(gold, limit=1)  # the news sentence, tagged by the real CRF
    assert result["sentences"] == 1
    assert result["all"]["PER"]["tp"] == 1  # Sergej Lawrow
    assert result["all"]["LOC"]["tp"] == 1  # Genf


IOB2 = """# sent_id = x-0001
# text = Sergey Lavrov met Kerry in Geneva .
1\tSergey\tB-PER\t-\t-
2\tLavrov\tI-PER\t-\t-
3\tmet\tO\t-\t-
4\tKerry\tB-PER\t-\t-
5\tin\tO\t-\t-
6\tGeneva\tB-LOC\t-\t-
7\t.\tO\t-\t-
"""


def test_english_gold_is_scored_on_three_classes(tmp_path: Path) -> None:
    path = tmp_path / "tiny.iob2"
    path.write_text(IOB2, "utf-8")
    # a MISC guess costs nothing (the gold has no MISC); a LOC for Kerry costs both ways
    result = score(path, tagger=lambda words: ["B-PER", "I-PER", "B-MISC", "B-LOC", "O",
                                               "B-LOC", "O"])
    assert set(result["all"]) == {"PER", "LOC", "ORG", "micro"}
    assert result["all"]["micro"]["precision"] == pytest.approx(2 / 3)
    assert result["all"]["micro"]["recall"] == pytest.approx(2 / 3)


def test_a_mobie_file_is_scored_as_german_per_loc_org(tmp_path: Path) -> None:
    """MobIE's CoNLL-2003 columns (token, POS, chunk, fine type): a held-out German check."""
    from storyline.eval.ner import read_gold

    rows = ["-DOCSTART- -1- O O", "", "Stau\tNN\tI-NP\tO", "bei\tAPPR\tI-PP\tO",
            "Bonn\tNE\tI-NP\tB-location-city", "laut\tAPPR\tI-PP\tO",
            "ADAC\tNE\tI-NP\tB-organization", "am\tAPPR\tI-PP\tO",
            "Montag\tNN\tI-NP\tB-date", ""]
    path = tmp_path / "tiny.conll2003"
    path.write_text("\n".join(rows), "utf-8")
    sents, classes, lang = read_gold(path)
    assert (lang, classes) == ("de", ("PER", "LOC", "ORG"))
    assert sents[0].words[2] == "Bonn"
    assert sents[0].tags == ["O", "O", "B-LOC", "O", "B-ORG", "O", "O"]
