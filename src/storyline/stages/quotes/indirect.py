"""Reported speech inside one sentence: cue verbs, "laut"/"zufolge"/"nach Angaben", "wie ...".

Each pattern returns the message span, the cue and the source phrase in token indices. The
patterns are ordered from the most to the least specific; the first match wins per sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.stages.quotes.lex import ARTICLES, FRONTED, Lexicon
from storyline.stages.quotes.reported import reported
from storyline.stages.quotes.speaker import (
    collect_np,
    extend_vorfeld,
    np_ending_at,
    skip_adverbials,
    source_noun,
)
from storyline.stages.quotes.text import Found, Tok, content_end

_SUBORD = frozenset({"als", "nachdem", "weil", "obwohl", "bevor", "während", "da", "wenn",
                     "ob", "damit", "sobald", "dass", "was", "welche", "welcher", "um"})
_DEMNACH = frozenset({"demnach", "demzufolge", "wonach"})
ANAPHORIC = _DEMNACH
_MIN_MSG = 3


def _next_comma(toks: Sequence[Tok], i: int, e: int, limit: int = 14) -> int:
    depth = 0
    for j in range(i, min(e, i + limit)):
        t = toks[j].text
        if t == "(":
            depth += 1
        elif t == ")":
            depth = max(0, depth - 1)
        elif t in ",:" and not depth:
            return j
        elif t in "„»«“\"":
            return -1
    return -1


def _subject(toks: Sequence[Tok], a: int, k: int, e: int, particles: frozenset[str]
             ) -> tuple[int, int] | None:
    """Source of cue k: the phrase before it (subject first) or right after it (V2)."""
    if k > a and toks[a].low not in FRONTED and not toks[a].text[:1].isdigit():
        np = collect_np(toks, a, k, appos=True)
        if np:
            return extend_vorfeld(toks, np, k)
    j = skip_adverbials(toks, k + 1, e)
    impersonal = j < e and toks[j].low == "es"  # "hieß es aus dem Ministerium"
    if impersonal:
        j = skip_adverbials(toks, j + 1, e)
    if j < e and toks[j].low in {"aus", "von", "vom", "in", "seitens"}:
        j += 1
    np = collect_np(toks, j, e, stops=particles, appos=True)
    if np is None and k > a + 1:
        aux = next((x for x in range(a + 1, k) if toks[x].low in _AUX), -1)
        if aux >= 0:  # "Am Tag zuvor hatte er bereits gesagt, ..."
            np = collect_np(toks, skip_adverbials(toks, aux + 1, k), k)
        elif impersonal and toks[a].low in _PREPS:  # "Bei der Agentur RIA hieß es, ..."
            np = collect_np(toks, a + 1, k)
    return np


def _clause_start(toks: Sequence[Tok], a: int, k: int) -> int:
    """First token of the clause holding cue k: the sentence start, unless the nearest comma
    before k opens a relative/subordinate clause, or "und"/"indem" opens a new clause."""
    for j in range(k - 1, a - 1, -1):
        low = toks[j].low
        if toks[j].text in ",;":
            nxt = toks[j + 1].low
            return j + 1 if nxt in _RELATIVE or nxt in _SUBORD or nxt == "indem" else a
        if low in {"indem", "wobei"} and j + 1 < k:
            return j + 1
        if low == "und" and j + 1 < k and j > a:
            np = collect_np(toks, a, j)
            if np is None or np[1] != j:  # "A und B sagten": one subject, not two clauses
                return j + 1
    return a


def _cue_first(toks: Sequence[Tok], a: int, e: int, k: int, lex: Lexicon) -> Found | None:
    """"X sagte, MSG" / "Am Montag sagte X, MSG" / "X teilte mit, dass MSG"."""
    particles = lex.particle_of.get(toks[k].low, frozenset())
    c = _next_comma(toks, k + 1, e)
    if c < 0 or e - (c + 1) < _MIN_MSG:
        return None
    after = toks[c + 1].low
    if (after in lex.cue_forms and after not in ARTICLES) or after == "so" or (
            after in _AUX and toks[e - 1].low in lex.cue_forms):
        return None  # "MSG gelobt worden, berichtete X": the cue of the message comes later
    between = {t.low for t in toks[k + 1:c]}
    if particles and not particles & between and toks[k].low not in lex.cue_forms:
        return None
    if any(t.low in lex.cue_forms and t.text[:1].islower() for t in toks[k + 1:c]):
        return None  # a later cue is closer to the message ("bestritt ..., indem er sagte")
    cs = _clause_start(toks, a, k)
    if cs > a and toks[cs].low in _RELATIVE or toks[cs].low in _SUBORD:
        return None
    src = _subject(toks, cs, k, c, particles)
    return Found(c + 1, e, "indirect", k, *(src or (-1, -1)))


_RELATIVE = frozenset({"der", "die", "das", "dem", "den", "deren", "dessen", "welche",
                       "welcher", "welches", "wo", "als"})


_AUX = frozenset({"hat", "hatte", "hatten", "haben", "habe", "hätte", "hätten", "ist", "war",
                  "sei", "wurde", "wurden", "wird", "werden", "soll", "sollen", "will", "wollen",
                  "wollte", "könnte", "würde"})
_PREPS = frozenset({"in", "an", "auf", "bei", "mit", "von", "nach", "aus", "für", "über",
                    "unter", "vor", "zu", "durch", "gegen", "um"})


def _fronted_phrase(toks: Sequence[Tok], a: int, c: int) -> bool:
    """Is [a, c) a subject or adverbial with an apposition or relative clause rather than a
    statement ("Deiss, der zurücktrat, sagte", "Ein Sprecher, Lars Beringer, sagte")?"""
    np = collect_np(toks, a, c, appos=True)
    if np is not None and np[1] >= c:
        return True
    commas = [j for j in range(a, c) if toks[j].text == ","]
    if not commas:
        return False
    after = commas[0] + 1
    if after < c and toks[after].low in _RELATIVE:
        return True
    return after + 1 < c and toks[after + 1].low in _RELATIVE and toks[after].low in _PREPS


def _cue_last(toks: Sequence[Tok], a: int, e: int, k: int, lex: Lexicon) -> Found | None:
    """"MSG, sagte X." / "MSG, so X." / "MSG, hieß es aus dem Ministerium." """
    if k - 1 <= a or toks[k - 1].text != "," or k - 1 - a < _MIN_MSG:
        return None
    if _fronted_phrase(toks, a, k - 1):
        return None
    j = skip_adverbials(toks, k + 1, e)
    if j < e and toks[j].low == "es":
        j = skip_adverbials(toks, j + 1, e)
        if j < e and toks[j].low in {"aus", "von", "vom", "in", "seitens", "bei"}:
            j += 1
    particles = lex.particle_of.get(toks[k].low, frozenset())
    src = collect_np(toks, j, e, stops=particles, appos=True)
    if toks[k].low == "so":
        nxt = toks[k + 1] if k + 1 < e else None
        if not src or nxt is None or not (nxt.text[:1].isupper() or nxt.low in ARTICLES):
            return None
        if src[1] < e and toks[src[1]].text == "," and e - src[1] > _MIN_MSG:
            return Found(a, e, "indirect", k, *src)  # "Die Lage sei, so X, ernst"
    if src is None and _subject_with_comma(toks, a, k - 1):
        return None  # "X, ein Abgeordneter aus Y, sagte zu Z, dass": the cue comes first
    return Found(a, k - 1, "indirect", k, *(src or (-1, -1)))


def _subject_with_comma(toks: Sequence[Tok], a: int, c: int) -> bool:
    """Does [a, c) open with a name or phrase followed by a comma and a noun phrase (an
    apposition too long for `collect_np`) rather than a clause?"""
    if toks[a].low in FRONTED:
        return False
    np = collect_np(toks, a, c)
    return (np is not None and np[1] + 1 < c and toks[np[1]].text == ","
            and (toks[np[1] + 1].low in ARTICLES or toks[np[1] + 1].text[:1].isupper()))


def _wie(toks: Sequence[Tok], a: int, e: int, w: int, lex: Lexicon) -> Found | None:
    """"MSG, wie X mitteilte." / "Wie es aus dem Ministerium heißt, MSG." """
    k = next((j for j in range(w + 1, min(e, w + 14)) if _is_cue(toks[j], lex)), -1)
    if k < 0:
        return None
    s = w + 1
    while s < k and toks[s].low in {"es", "aus", "von", "vom", "in", "im", "auf", "seitens",
                                    "bei"}:
        s += 1
    src = collect_np(toks, s, k, appos=True)
    if w > a and toks[w - 1].text == "," and w - 1 - a >= _MIN_MSG:
        return Found(a, w - 1, "indirect", k, *(src or (-1, -1)))
    if w == a:
        c = _next_comma(toks, k, e, limit=4)
        if c >= 0 and e - c - 1 >= _MIN_MSG:
            return Found(c + 1, e, "indirect", k, *(src or (-1, -1)))
    return None


def _according(toks: Sequence[Tok], a: int, e: int, k: int) -> Found | None:
    """"laut X", "X zufolge", "nach Angaben der X", "Demnach": the rest is the message."""
    low = toks[k].low
    if low in _DEMNACH:
        if k == a and e - a - 1 >= _MIN_MSG:
            return Found(a + 1, e, "indirect", k, k, k + 1)
        return None
    if low == "zufolge":
        src = np_ending_at(toks, a, k)
        s = src[0] if src else k
        if k + 1 < e and e - k - 1 >= _MIN_MSG:
            return Found(k + 1, e, "indirect", k, *(src or (-1, -1)))
        if s - 1 - a >= _MIN_MSG:
            return Found(a, s - 1, "indirect", k, *(src or (-1, -1)))
        return None
    if low == "nach":
        return _nach(toks, a, e, k)
    src = collect_np(toks, k + 1, e, appos=True)
    if not src:
        return None
    m0 = src[1] + (1 if src[1] < e and toks[src[1]].text == "," else 0)
    if k > a and toks[k - 1].text == ",":
        return Found(a, k - 1, "indirect", k, *src) if k - 1 - a >= _MIN_MSG else None
    if k == a:
        return Found(m0, e, "indirect", k, *src) if e - m0 >= _MIN_MSG else None
    return Found(a, e, "indirect", k, *src)  # "Die Lage sei laut Polizei ruhig"


def _nach(toks: Sequence[Tok], a: int, e: int, k: int) -> Found | None:
    """"Nach Angaben der Polizei MSG", "nach eigenen Angaben", "Seiner Meinung nach MSG"."""
    if k - 1 > a - 1 and k - a <= 3 and source_noun(toks[k - 1]) and e - k - 1 >= _MIN_MSG:
        return Found(k + 1, e, "indirect", k, a, k)  # postposition: "Dem Vernehmen nach"
    if k - 2 > a and source_noun(toks[k - 1]) and toks[k - 2].low in ARTICLES:
        return Found(a, e, "indirect", k, k - 2, k)  # "Die Lage sei ihrer Meinung nach ernst"
    j = k + 1
    while j < e and j - k <= 3 and not toks[j].text[:1].isupper() and toks[j].text.isalpha():
        j += 1  # "nach eigenen", "nach ersten"
    if j >= e or not source_noun(toks[j]):
        return None
    src = collect_np(toks, j, e, appos=True)
    if not src:
        return None
    src = (k + 1, src[1])  # "nach eigenen Angaben": the phrase with its determiners
    m0 = src[1] + (1 if src[1] < e and toks[src[1]].text == "," else 0)
    if k > a and toks[k - 1].text == ",":
        return Found(a, k - 1, "indirect", k, *src) if k - 1 - a >= _MIN_MSG else None
    if k == a:
        return Found(m0, e, "indirect", k, *src) if e - m0 >= _MIN_MSG else None
    return Found(a, e, "indirect", k, *src)


def _is_cue(t: Tok, lex: Lexicon) -> bool:
    return t.low in lex.cue_forms or t.low in lex.particle_of


def german(toks: Sequence[Tok], a: int, b: int, lex: Lexicon) -> Found | None:
    """The first reported-speech pattern in sentence [a, b), if any."""
    e = content_end(toks, a, b)
    for k in range(a, e):
        t = toks[k]
        if t.low in {"laut", "zufolge", "nach"} or t.low in _DEMNACH:
            f = _according(toks, a, e, k)
        elif t.low == "wie" and (k == a or toks[k - 1].text == ","):
            f = _wie(toks, a, e, k, lex)
        elif t.low == "so" and k > a and toks[k - 1].text == ",":
            f = _cue_last(toks, a, e, k, lex)
        elif _is_cue(t, lex) and t.text[:1].islower() or (_is_cue(t, lex) and k == a):
            f = _cue_last(toks, a, e, k, lex) or _cue_first(toks, a, e, k, lex)
        elif t.low in _AUX and k > a and toks[k - 1].text == "," and toks[e - 1].low in \
                lex.cue_forms:  # "MSG, hatte X am Montag gesagt."
            f = _cue_last(toks, a, e, k, lex)
            f = f._replace(cue=e - 1) if f is not None else None
        else:
            continue
        if f is not None:
            return f
    return reported(toks, a, e, lex)
