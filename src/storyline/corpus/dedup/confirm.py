"""Is this candidate pair one text? The decision dedup applies, as a public function.

Ingest (DedupIndex) and any other runner of the pipeline (the Spark backfill) call `confirm`
on the same feature records, so they group the same copies.

A pair is a copy when either
- the share of the shorter text's 5-word shingles found in the other reaches
  `min_containment` (the corpus definition of a wire copy: about 30%) and so does, nearly
  (`min_narrative`), the share of its narrative (quotes and embedded posts left out): two
  reports sharing a statement, a tweet or a press-release sentence are not copies; or
- a light re-edit: at least `min_sentences` narrative sentences of the shorter text, holding
  `min_sentence_share` of its words, have a near twin in the other (Dice of word sets >=
  `sentence_dice`), and some narrative shingles are shared (`sentence_floor`). Changing one word in
  every sentence breaks most 5-word shingles but no sentence.
Two pieces of one outlet are held to more: outlets repeat their own background paragraphs in
follow-ups. A copy keeps the lead in some form, a follow-up writes a new one, so a same-outlet
pair is a copy only if the first paragraph of one is found in the other. A text that is
mostly quotation (an interview, a statement) has too little narrative to go by: a copy of it
must share twice `min_containment` of the whole text instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.corpus.dedup import narrative
from storyline.corpus.dedup.narrative import Sentences
from storyline.corpus.dedup.shingles import unpack_hashes
from storyline.settings import Settings

QUOTED = 0.3  # a text whose narrative is under this share of its shingles is mostly quotes


@dataclass(frozen=True)
class Rules:
    min_containment: float = 0.3
    min_narrative: float = 0.2
    min_sentence_share: float = 0.5
    min_sentences: int = 3
    sentence_dice: float = 0.6
    sentence_floor: float = 0.15

    @classmethod
    def of(cls, settings: Settings) -> Rules:
        cfg, base = settings.section("dedup"), cls()
        return cls(**{k: type(v)(cfg.get(k, v)) for k, v in vars(base).items()})


@dataclass
class DupRecord:
    """What confirmation needs of one article (decoded once from its feature record)."""

    size: int  # shingles of the whole text: how full it is
    hashes: np.ndarray  # sorted unique shingle hashes of the whole text
    narrative: np.ndarray  # the same of its narrative
    words: np.ndarray  # narrative sentences: word hashes ...
    lengths: list[int]  # ... and the words of each sentence
    outlet: str = ""
    lead: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    _sentences: Sentences | None = None

    @classmethod
    def of(cls, feats: dict[str, Any]) -> DupRecord | None:
        """None when the record has no text to compare (empty article, no features)."""
        size = int(feats.get("shingles") or 0)
        hashes = unpack_hashes(feats.get("shingle_hashes"))
        packed = feats.get("narrative")  # None in records from before version 5
        if size <= 0 or not len(hashes):
            return None
        return cls(size, hashes, hashes if packed is None else unpack_hashes(packed),
                   unpack_hashes(feats.get("sentences")),
                   [int(n) for n in feats.get("sentence_lengths") or []],
                   str(feats.get("outlet") or ""), unpack_hashes(feats.get("lead_shingles")))

    def sentences(self) -> Sentences:
        if self._sentences is None:
            self._sentences = Sentences.of(self.words, self.lengths)
        return self._sentences


@dataclass(frozen=True)
class Evidence:
    duplicate: bool
    containment: float
    sentence_share: float = 0.0
    sentences: int = 0
    reason: str = ""


def overlap(a: np.ndarray, b: np.ndarray) -> int:
    """How many hashes of sorted unique `a` are in sorted unique `b` (a binary search of the
    smaller in the larger: a third of the time of `np.intersect1d`)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small) or not len(large):
        return 0
    at = large.searchsorted(small)
    return int(np.count_nonzero(large.take(at, mode="clip") == small))


def exact_containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller sorted unique hash array found in the other."""
    small = min(len(a), len(b))
    return overlap(a, b) / small if small else 0.0


def new_lead(a: DupRecord, b: DupRecord, least: float) -> bool:
    """Neither text's first paragraph is found in the other: a follow-up, not a copy."""
    if not len(a.lead) or not len(b.lead):
        return False  # records without leads: no evidence either way
    found = max(overlap(a.lead, b.hashes) / len(a.lead), overlap(b.lead, a.hashes) / len(b.lead))
    return found < least


def confirm(a: DupRecord, b: DupRecord, rules: Rules) -> Evidence:
    """The dedup decision for one pair (see module docstring)."""
    story = exact_containment(a.narrative, b.narrative)
    short = a if a.size <= b.size else b
    quotes = len(short.narrative) < QUOTED * short.size
    if story < min(rules.min_narrative, rules.sentence_floor) and not quotes:
        return Evidence(False, story, reason="too little shared text")  # the common case
    score = exact_containment(a.hashes, b.hashes)
    if quotes:  # mostly quotation: the whole must match
        story = score if score >= 2 * rules.min_containment else story
    if a.outlet and a.outlet == b.outlet and new_lead(a, b, rules.min_containment):
        return Evidence(False, score, reason="same outlet, new lead: a follow-up")
    if score >= rules.min_containment and story >= rules.min_narrative:
        return Evidence(True, score, reason="shared text")
    if story < rules.sentence_floor or not a.lengths or not b.lengths:
        return Evidence(False, score, reason="too little shared text")
    short, long = (a, b) if sum(a.lengths) <= sum(b.lengths) else (b, a)
    share, count = narrative.sentence_share(short.sentences(), long.sentences(),
                                            rules.sentence_dice)
    if share >= rules.min_sentence_share and count >= rules.min_sentences:
        return Evidence(True, score, share, count, "sentences re-edited one by one")
    return Evidence(False, score, share, count, "too few matching sentences")


def is_duplicate(feats_a: dict[str, Any], feats_b: dict[str, Any],
                 settings: Settings) -> Evidence:
    """`confirm` on two feature records (as `featurize` makes them), exactly as ingest does."""
    a, b = DupRecord.of(feats_a), DupRecord.of(feats_b)
    if a is None or b is None:
        return Evidence(False, 0.0, reason="no text to compare")
    return confirm(a, b, Rules.of(settings))
