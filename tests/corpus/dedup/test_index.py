"""DedupIndex on real text: wire copies found, rewrites of the same story kept apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storyline import settings as settings_mod
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.features import featurize
from storyline.model import Article
from storyline.settings import Settings
from tests.conftest import SHARED, seed

DEV = SHARED / "corpus" / "dev"


# The [dedup] values this index is calibrated for (asked of defaults.toml; same numbers).
CALIBRATED = {"dedup.min_containment": 0.3, "dedup.min_narrative": 0.2}


@pytest.fixture(scope="module")
def cfg() -> Settings:
    if not DEV.exists():
        pytest.skip("../shared corpora not available")
    return settings_mod.load(path=Path("/nonexistent"), **CALIBRATED)


def article(name: str, text: str, lang: str = "de") -> Article:
    body = re.sub(r"\A\s*date \d{4}-\d{2}\b", "", text).strip()
    return Article(source=name, raw_text=text, source_name=name, text=body, lang=lang)


def dev_text(ident: str) -> str:
    for line in (DEV / "corpus.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        if rec["id"] == ident:
            return str(rec["text"])
    raise KeyError(ident)


def seed_text(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


def test_wire_copy_joins_and_the_fuller_text_is_canonical(cfg: Settings) -> None:
    index = DedupIndex(cfg)
    first, copy = article("0001", dev_text("0001")), article("0007", dev_text("0007"))
    feats = [featurize(first, cfg), featurize(copy, cfg)]
    assert index.add(first.id, feats[0]) is None
    fuller = max((first.id, copy.id), key=lambda i: len(dev_text("0001" if i == first.id
                                                                else "0007")))
    found = index.add(copy.id, feats[1])
    assert index.followed == first.id  # the events stage puts the copy beside it
    assert index.groups.canonical(first.id) == index.groups.canonical(copy.id) == fuller
    assert found == (None if fuller == copy.id else first.id)


def test_truncated_and_reframed_copies(cfg: Settings) -> None:
    text = seed_text("001")
    full = article("full", text)
    paragraphs = text.split("\n\n")
    cut = article("cut", "\n\n".join(paragraphs[: max(2, len(paragraphs) * 2 // 3)]))
    framed = article("framed", "Startseite\nPolitik\nAusland\nNewsletter abonnieren\n\n" + full.text
                     + "\n\nMehr zum Thema\nLeserkommentare (12)\nTeilen Sie diesen Artikel")
    index = DedupIndex(cfg)
    assert index.add(full.id, featurize(full, cfg)) is None
    assert index.add(cut.id, featurize(cut, cfg)) == full.id
    assert index.add(framed.id, featurize(framed, cfg)) == full.id


def test_same_story_different_text_is_not_a_duplicate(cfg: Settings) -> None:
    index = DedupIndex(cfg)
    a, b = article("001", seed_text("001")), article("003", seed_text("003"))
    assert index.add(a.id, featurize(a, cfg)) is None
    assert index.add(b.id, featurize(b, cfg)) is None


def test_copy_of_a_copy_points_to_the_canonical(cfg: Settings) -> None:
    index = DedupIndex(cfg)
    ids = []
    for name in ("0008", "0009", "0012"):  # one dpa text on three sites
        art = article(name, dev_text(name))
        ids.append(art.id)
        index.add(art.id, featurize(art, cfg))
    canonical = index.groups.canonical(ids[0])
    assert {index.groups.canonical(i) for i in ids} == {canonical}
    other = next(i for i in ids if i != canonical)
    assert index.add(other, {}) == canonical  # re-adding is answered from the index


def test_state_round_trip(cfg: Settings) -> None:
    names = ["0001", "0007", "0008", "0009", "0012", "0016", "0017", "0053", "0055"]
    arts = [article(n, dev_text(n)) for n in names]
    feats = [featurize(a, cfg) for a in arts]
    whole = DedupIndex(cfg)
    expected = [whole.add(a.id, f) for a, f in zip(arts, feats, strict=True)]
    part = DedupIndex(cfg)
    got = [part.add(a.id, f) for a, f in zip(arts[:4], feats[:4], strict=True)]
    part = DedupIndex.from_state(part.to_state(), cfg)
    got += [part.add(a.id, f) for a, f in zip(arts[4:], feats[4:], strict=True)]
    assert got == expected
    assert any(expected)


def test_bad_input_never_raises(cfg: Settings) -> None:
    index = DedupIndex(cfg)
    for i, text in enumerate(["", "Wort", "   \n ", "x" * 5000, "١٢٣ مرحبا"]):
        art = article(f"bad{i}", text, lang="und")
        assert index.add(art.id, featurize(art, cfg)) is None
    assert index.add("nofeats", {}) is None


def test_size_cap_bounds_memory(cfg: Settings) -> None:
    small = cfg.with_overrides({"dedup.max_entries": 3})
    index = DedupIndex(small)
    for i in range(6):
        art = article(f"n{i}", f"Meldung Nummer {i} über etwas ganz anderes Thema {i * 7}")
        index.add(art.id, featurize(art, small))
    assert len(index) == 3


def test_short_copy_inside_a_long_text_is_found(cfg: Settings) -> None:
    """Jaccard is tiny when a short wire text sits in a long page; containment is not."""
    short = seed_text("001").split("\n\n")
    wire = "\n\n".join(short[:2])
    page = "\n\n".join([seed_text("002"), seed_text("003"), wire, seed_text("004")])
    index = DedupIndex(cfg)
    long_art, copy = article("page", page), article("wire", wire)
    assert index.add(long_art.id, featurize(long_art, cfg)) is None
    assert index.add(copy.id, featurize(copy, cfg)) == long_art.id


def test_shingle_hashes_are_stable_across_processes(cfg: Settings) -> None:
    import subprocess
    import sys

    code = ("from storyline.corpus.features import shingle_hashes, pack_hashes;"
            "print(pack_hashes(shingle_hashes('Kerry droht Moskau mit dem Abbruch der "
            "Gespräche über Syrien', 5)))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1 and runs.pop().strip()


def test_same_outlet_follow_up_with_shared_background_is_not_a_copy(cfg: Settings) -> None:
    background = "\n\n".join(seed_text("001").split("\n\n")[1:3])
    first = ("Die Lage in der Stadt hat sich am Abend nach Angaben von Helfern weiter "
             "verschärft, neue Angriffe wurden aus mehreren Vierteln gemeldet.")
    later = ("Am Morgen danach zählen die Rettungskräfte die Opfer der Nacht, während "
             "Diplomaten in Genf über eine Feuerpause für die Region beraten.")

    def piece(name: str, lead: str, outlet: str) -> Article:
        art = article(name, lead + "\n\n" + background)
        art.outlet = outlet
        return art

    def pair(a: Article, b: Article) -> str | None:
        index = DedupIndex(cfg)
        index.add(a.id, featurize(a, cfg))
        return index.add(b.id, featurize(b, cfg))

    original = piece("a", first, "zeitung.example")
    assert pair(original, piece("b", later, "zeitung.example")) is None  # new lead: follow-up
    assert pair(original, piece("c", later, "other.example")) == original.id  # another outlet
    assert pair(original, piece("d", first, "zeitung.example")) == original.id  # same lead


def test_overlap_counts_the_hashes_two_texts_share() -> None:
    """The binary-search overlap agrees with a set intersection, in both argument orders,
    for a copy, a related report and an empty text."""
    from storyline.corpus.dedup.confirm import overlap
    from storyline.corpus.dedup.shingles import shingle_hashes

    a, copy, other = (shingle_hashes(dev_text(n), 5) for n in ("0001", "0007", "0002"))
    empty = shingle_hashes("", 5)
    for x, y in ((a, copy), (a, other), (copy, other), (a, empty)):
        expected = len(set(x.tolist()) & set(y.tolist()))
        assert overlap(x, y) == overlap(y, x) == expected
    assert overlap(a, copy) > 0.3 * min(len(a), len(copy))  # the wire copy
