"""Headlines of events and stories: the title of their most representative article.

Representative = central to the group: the canonical copy (a wire text printed by five sites
counts five times) whose terms and names are closest to the rest of the group's, by cosine to
the leave-one-out centroid of the members' feature records. One headline per language the
group has titles in (`titles`), so a reader sees one in their language where both exist; the
default `title` is in the language most members (copies counted) are written in. A group
with no usable title is named by the first sentence of its most central article.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from storyline.stages.titles import MAX_CHARS, tidy

SAMPLE = 40  # canonical articles read per group to label and title it: enough for the top terms
LEAD_CHARS = 140  # a first sentence used as headline is cut at a word near this length
MIN_WORDS = 3  # shorter page titles ("Emden", "Aktuelle") name a page, not a development
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"“”»«']?\s+(?=[A-ZÄÖÜ\"„“«»(])")


@dataclass
class Member:
    """A canonical article of a group, as `refresh_groups` reads it."""

    id: str
    title: str | None
    lang: str
    lead: str  # the head of its clean text
    copies: int
    feats: dict[str, Any]


@dataclass
class Headline:
    title: str | None
    article: str | None
    titles: dict[str, str]


def vector(feats: dict[str, Any]) -> dict[str, float]:
    """Log-scaled term counts plus entity keys, unit length."""
    vec = {t: 1.0 + math.log(n) for t, n in (feats.get("terms") or {}).items() if n > 0}
    for key in feats.get("entities") or {}:
        vec["@" + key] = vec.get("@" + key, 0.0) + 2.0
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def centrality(members: list[Member]) -> list[float]:
    """Cosine of each member to the centroid of the group's other articles (copies count:
    a canonical member stands for itself and its copies)."""
    vecs = [vector(m.feats) for m in members]
    total: dict[str, float] = {}
    for m, vec in zip(members, vecs, strict=True):
        for t, v in vec.items():
            total[t] = total.get(t, 0.0) + v * (1 + m.copies)
    total_sq = sum(x * x for x in total.values())
    scores = []
    for vec in vecs:  # leave the article itself out; its copies are other outlets' articles
        dot_total = sum(v * total.get(t, 0.0) for t, v in vec.items())
        own = sum(v * v for v in vec.values())  # 1, or 0 for an empty record
        rest_sq = total_sq - 2 * dot_total + own
        scores.append((dot_total - own) / math.sqrt(rest_sq) if rest_sq > 1e-9 else 0.0)
    return scores


def headline(members: list[Member]) -> Headline:
    """The group's headline; members in publication order (earliest wins ties)."""
    if not members:
        return Headline(None, None, {})
    scores = centrality(members)
    order = sorted(range(len(members)),
                   key=lambda i: (-round(scores[i], 6), -members[i].copies, i))
    titles: dict[str, str] = {}
    chosen: dict[str, str] = {}
    for want in (MIN_WORDS, 1):
        for i in order:
            m, title = members[i], tidy(members[i].title, MAX_CHARS)
            if title and len(title.split()) >= want and m.lang not in titles:
                titles[m.lang], chosen[m.lang] = title, m.id
    langs: Counter[str] = Counter()
    for m in members:
        langs[m.lang] += 1 + m.copies
    main = max(titles, key=lambda lang: (langs[lang], lang), default=None)
    if main is not None:
        return Headline(titles[main], chosen[main], titles)
    top = members[order[0]]
    return Headline(lead_sentence(top.lead), top.id, {})


def lead_sentence(text: str) -> str | None:
    """The first sentence, cut at a word when long: a headline for an untitled report."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text.strip() else ""
    first = first.split("\n")[0]
    if len(first) > LEAD_CHARS:
        first = first[:LEAD_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-–—") + " …"
    return tidy(first)
