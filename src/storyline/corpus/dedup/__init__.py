"""Duplicate groups, the corpus stage that folds copies of one text.

`index` (DedupIndex: the stateful stage the pipeline adds articles to) finds candidates with
`anchors` (sampled narrative shingles: containment, not Jaccard), confirms them with `confirm`
(the decision every runner shares, ingest and Spark alike) and keeps transitive groups with
the fullest member canonical in `groups`. `narrative` and `shingles` turn a text into what
they compare: its own narrative without quotes and embedded posts, its sentences, its hashed
word 5-grams.
"""

from storyline.corpus.dedup.index import MAX_CHECKS, DedupIndex, StaleState

__all__ = ["MAX_CHECKS", "DedupIndex", "StaleState"]
