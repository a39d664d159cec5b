"""Outlet comparison within one story: who reported first, who ran wire copy, whom each outlet
quoted, which words set an outlet apart, and where outlets disagree on a figure.

Pure reads scoped to one story; the text-heavy part (word counts) reads the lemmas the
full-text index already stores, so nothing is lemmatised again.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from storyline.corpus.dating import Rows, order_key
from storyline.corpus.features import fold, stop_words
from storyline.corpus.timeline import sentence_at
from storyline.store.db import Store
from storyline.store.entities import resolved_facts
from storyline.store.search import lemma_text

Z_MIN = 1.96  # two-sided 5%: Monroe et al.'s z-score of the log-odds ratio
MIN_COUNT = 2
TOP_WORDS = 25
TOP_SPEAKERS = 10
PRIOR_SHARE = 0.1  # alpha_0 as a share of the story's word count (see `log_odds`)
FIGURE_TOLERANCE = 0.10  # relative gap between two reports of a figure that is a conflict
MAX_RATIO = 10.0  # figures an order of magnitude apart count different things, not one thing
_AGENCY = r"(?:dpa|AFP|Reuters|AP|KNA|epd|APA|sda|SDA|dts|AFX|ANP|Belga|ots)"
# A wire credit, not a mention of an agency: a dateline or trailing credit "(dpa)",
# "(sda/chb)", a line opening "dpa Washington.", a byline "red/AFP", or "Quelle: dpa".
# Photo credits ("Foto: .../dpa", "(picture alliance / dpa)") are deliberately not matched.
WIRE_CREDIT = re.compile(
    rf"\(\s*{_AGENCY}(?:\s*/\s*[\w-]{{1,12}})*\s*\)"
    rf"|(?m:^\s*{_AGENCY}\s+[A-ZÄÖÜ][\w/-]+\.\s)"
    rf"|\b[a-z]{{2,4}}/{_AGENCY}\b"
    rf"|\b(?:Quelle|Mit Material von|Material von|source)\s*:?\s*(?:den\s+|der\s+)?"
    rf"(?:Nachrichtenagentur(?:en)?\s+)?{_AGENCY}\b")
LOWER_BOUND = {"mindestens", "wenigstens", "mehr als", "weit über", "über", "at least",
               "more than", "over"}
UPPER_BOUND = {"bis zu", "weniger als", "unter", "höchstens", "fast", "beinahe", "knapp",
               "nahezu", "up to", "fewer than", "less than", "nearly", "almost"}


def _load(store: Store, story_id: str) -> Rows:
    return store.query(
        "SELECT a.id, a.outlet, a.published, a.event_id, a.duplicate_of, a.lang, a.title, "
        "a.text, c.outlet AS original_outlet, f.lemmas FROM articles a "
        "LEFT JOIN articles c ON c.id = a.duplicate_of "
        "LEFT JOIN articles_fts f ON f.rowid = a.rowid "
        "WHERE a.story_id = ? AND a.superseded_by IS NULL ORDER BY a.sort_key", [story_id])


def is_wire_copy(article: dict[str, Any]) -> bool:
    """A copy of another outlet's article, or a text that credits a news agency."""
    if article["duplicate_of"] and article["original_outlet"] != article["outlet"]:
        return True
    return WIRE_CREDIT.search(article["text"]) is not None


def _quoted(store: Store, outlets: dict[str, str]) -> dict[str, Rows]:
    """Who each outlet quotes most, speakers as their story names them (a bare "Mistura"
    counted as the story's one Staffan de Mistura)."""
    names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in resolved_facts(store, list(outlets), "quotes"):
        if r["speaker_key"] is None:
            continue
        name = r["speaker_canonical"] or r["speaker"] or r["speaker_key"]
        names[(outlets[r["article_id"]], r["speaker_key"])][name] += 1
    out: dict[str, Rows] = defaultdict(list)
    for (outlet, key), counts in names.items():
        out[outlet].append({"speaker": counts.most_common(1)[0][0], "key": key,
                            "n": sum(counts.values())})
    return {o: sorted(v, key=lambda s: (-s["n"], s["speaker"]))[:TOP_SPEAKERS]
            for o, v in out.items()}


def _outlets(store: Store, articles: Rows) -> Rows:
    by_outlet: dict[str, Rows] = defaultdict(list)
    for a in articles:
        by_outlet[a["outlet"] or ""].append(a)
    quoted = _quoted(store, {a["id"]: a["outlet"] or "" for a in articles})
    rows = []
    for outlet, arts in by_outlet.items():
        first = min(arts, key=lambda a: (order_key(a["published"]), a["id"]))
        wire = sum(is_wire_copy(a) for a in arts)
        rows.append({"outlet": outlet or None, "n_articles": len(arts),
                     "first_published": first["published"], "wire_copies": wire,
                     "own_reporting": len(arts) - wire, "quoted": quoted.get(outlet, [])})
    return sorted(rows, key=lambda r: (-r["n_articles"], r["outlet"] or ""))


def _first_reporter(articles: Rows) -> dict[str, Any] | None:
    dated = [a for a in articles if a["published"]]
    if not dated:
        return None
    a = min(dated, key=lambda a: (order_key(a["published"]), a["id"]))
    return {"outlet": a["outlet"], "published": a["published"], "article_id": a["id"]}


def word_counts(articles: Rows) -> dict[str, Counter[str]]:
    """Lemma counts per outlet, stop words (of every language in the story) left out."""
    stops: set[str] = set().union(*(stop_words(lang) for lang in {a["lang"] for a in articles}))
    keep: dict[str, bool] = {}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles:
        lemmas = a["lemmas"] or lemma_text(a["title"], a["text"], a["lang"])
        bag = counts[a["outlet"] or ""]
        for word in lemmas.split():
            if word not in keep:
                keep[word] = (len(word) > 2 and any(ch.isalpha() for ch in word)
                              and fold(word) not in stops)
            if keep[word]:
                bag[word] += 1
    return counts


def log_odds(counts: dict[str, Counter[str]], prior_share: float = PRIOR_SHARE
             ) -> dict[str, Rows]:
    """Weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn
    2008, "Fightin' Words"): each outlet against all the others in the story.

    The prior is the story's own pooled word distribution, worth `prior_share` of the
    story's words in pseudo-counts: it shrinks rare words towards "not distinctive" (a word
    one outlet used twice does not outrank one it used throughout), and being relative it
    shrinks a five-article story as much as a five-hundred-article one. No library
    implements this estimator, hence numpy by hand."""
    outlets = sorted(counts)
    vocab = sorted(set().union(*counts.values()))
    if len(outlets) < 2 or not vocab:
        return {o: [] for o in outlets}
    col = {w: j for j, w in enumerate(vocab)}
    y = np.zeros((len(outlets), len(vocab)))
    for i, o in enumerate(outlets):
        for w, n in counts[o].items():
            y[i, col[w]] = n
    total = y.sum(axis=0)
    alpha0 = prior_share * total.sum()
    alpha = prior_share * total
    out: dict[str, Rows] = {}
    for i, o in enumerate(outlets):
        ya, yb = y[i], total - y[i]
        na, nb = ya.sum(), yb.sum()
        delta = (np.log((ya + alpha) / (na + alpha0 - ya - alpha))
                 - np.log((yb + alpha) / (nb + alpha0 - yb - alpha)))
        z = np.round(delta / np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha)), 3)
        picked = np.flatnonzero((ya >= MIN_COUNT) & (z > Z_MIN))
        picked = picked[np.argsort(-z[picked], kind="stable")][:TOP_WORDS]
        out[o] = [{"word": vocab[j], "log_odds": round(float(delta[j]), 3),
                   "z": float(z[j]), "count": int(ya[j]),
                   "others_count": int(yb[j])} for j in picked]
    return out


def _bounds(value: float, qualifier: str | None) -> tuple[float, float]:
    """What a report allows: "mindestens 20" is any value from 20 up."""
    q = " ".join((qualifier or "").lower().split())
    if q in LOWER_BOUND:
        return value, float("inf")
    if q in UPPER_BOUND:
        return 0.0, value
    return value, value


def conflicting(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two outlets' reports of one count disagree by more than the tolerance (after
    qualifiers), yet lie within an order of magnitude (else they count different things)."""
    if a["outlet"] == b["outlet"]:
        return False
    small, large = sorted((abs(a["value"]), abs(b["value"])))
    if small == 0 or large / small > MAX_RATIO:
        return False
    lo_a, hi_a = _bounds(a["value"], a["qualifier"])
    lo_b, hi_b = _bounds(b["value"], b["qualifier"])
    lo, hi = max(lo_a, lo_b), min(hi_a, hi_b)
    return lo - hi > FIGURE_TOLERANCE * lo


# Units measure many different things in one story (turnout, polls, budgets): only counts of
# people and things are compared.
UNITS = {"percent", "dollars", "euros", "tonnes"}


def figure_conflicts(store: Store, story_id: str, texts: dict[str, str]) -> Rows:
    """Per event and `what`, the reports that some other outlet contradicts, side by side."""
    rows = store.query(
        "SELECT f.article_id, f.start, f.end, f.text, f.value, f.what, f.qualifier, a.outlet, "
        "a.event_id FROM figures f JOIN articles a ON a.id = f.article_id WHERE a.story_id = ? "
        "AND a.superseded_by IS NULL AND f.what IS NOT NULL ORDER BY a.sort_key, f.start",
        [story_id])
    # An article's first count of a kind is its headline figure (news leads with it); later
    # ones are mostly parts ("zwei davon schwer") or background ("seit 2011 starben ...").
    totals: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        if r["what"] not in UNITS:
            totals.setdefault((r["event_id"], r["what"], r["article_id"]), r)
    groups: dict[tuple[str, str], dict[tuple[Any, ...], dict[str, Any]]] = defaultdict(dict)
    for (event_id, what, _), r in totals.items():  # one per outlet, value and qualifier
        groups[(event_id, what)].setdefault((r["outlet"], r["value"], r["qualifier"]), r)
    out = []
    for (event_id, what), reports in groups.items():
        rs = list(reports.values())
        involved = {i for i, a in enumerate(rs) for b in rs if conflicting(a, b)}
        if involved:
            out.append({"what": what, "event_id": event_id,
                        "values": [_provenance(rs[i], texts) for i in sorted(
                            involved, key=lambda i: (rs[i]["value"], rs[i]["outlet"] or ""))]})
    return sorted(out, key=lambda c: (c["event_id"], c["what"]))


def _provenance(r: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """The sentence stating the figure (offsets into the article), and the figure's own span."""
    text = texts.get(r["article_id"], "")
    s, e = sentence_at(text, r["start"]) if text else (r["start"], r["end"])
    return {"outlet": r["outlet"], "value": r["value"], "qualifier": r["qualifier"],
            "article_id": r["article_id"], "text": text[s:e] or r["text"], "start": s, "end": e,
            "figure": {"text": r["text"], "start": r["start"], "end": r["end"]}}


def story_comparison(store: Store, story_id: str) -> dict[str, Any] | None:
    """How the outlets covering a story differ; see the module doc."""
    articles = _load(store, story_id)
    if not articles:
        return None
    return {
        "story_id": story_id,
        "outlets": _outlets(store, articles),
        "first_reporter": _first_reporter(articles),
        "distinctive_words": log_odds(word_counts(articles)),
        "figure_conflicts": figure_conflicts(store, story_id,
                                             {a["id"]: a["text"] for a in articles}),
    }
