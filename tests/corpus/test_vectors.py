"""Vector-space helpers of clustering: cached idf and the per-article Query agree with the
plain formulas they replace (clustering output must not change by a bit)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from storyline.corpus.features import featurize
from storyline.corpus.stories import Cluster, Span
from storyline.corpus.vectors import (
    DocFreq,
    Query,
    article_terms,
    background,
    member_mass,
    norm,
    prior_df,
    weigh,
)
from storyline.model import Article
from storyline.settings import Settings

DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "dev"


def dev_terms(settings: Settings, *idents: str) -> list[dict[str, float]]:
    out = {}
    for line in (DEV / "corpus.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        if rec["id"] in idents:
            art = Article(source=rec["id"], raw_text=rec["text"], text=rec["text"], lang="de")
            out[rec["id"]] = article_terms(featurize(art, settings), 2.0, 1.0)
    return [out[i] for i in idents]


def plain_idf(df: DocFreq, term: str) -> float:
    return math.log((df.n + background()[0] + 1)
                    / (df.df.get(term, 0) + prior_df(term) + 1)) + 1.0


def test_idf_table_follows_the_document_count(settings: Settings) -> None:
    first, second = dev_terms(settings, "0001", "0002")
    df = DocFreq()
    df.add(first, "de")
    before = {t: df.idf(t) for t in first}
    assert before == {t: plain_idf(df, t) for t in first}
    df.add(second, "de")  # new statistics: no stale value may survive
    assert {t: df.idf(t) for t in first} == {t: plain_idf(df, t) for t in first}
    shared = next(t for t in first if t in second)
    assert df.idf(shared) < before[shared]


def test_query_similarity_equals_the_plain_cosine(settings: Settings) -> None:
    a, b, c = dev_terms(settings, "0001", "0002", "0007")
    df = DocFreq()
    for terms in (a, b, c):
        df.add(terms, "de")
    cl = Cluster("ev", 1)
    for terms in (a, b):
        cl.absorb(member_mass(terms, weigh(terms, df)), Span(), "de", 1)
    cl.refresh(df)
    w = weigh(c, df)
    dot = sum(x * cl.terms["de"][t] * plain_idf(df, t) for t, x in w.items()
              if t in cl.terms["de"])
    same, cross = cl.similarity(Query(w, "de", df))
    assert same == min(1.0, dot / (norm(w) * cl.norms["de"])) > 0.0
    assert cross == 0.0  # one language: no cross-language part


def test_top_items_equals_a_full_sort_with_ties(settings: Settings) -> None:
    from storyline.corpus.vectors import top_items

    (terms,) = dev_terms(settings, "0001")
    scores = {t: round(c) for t, c in terms.items()}  # many ties at the cut
    for k in (1, 5, 25, len(scores), len(scores) + 3):
        assert top_items(scores, k) == sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
