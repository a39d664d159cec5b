"""Sentence mood for reported speech without a cue: Konjunktiv I and hearsay "soll".

German news marks reported content by verb mood alone ("Zur Panik bestehe kein Anlass.",
"Der Täter soll geflohen sein."). We have no morphological analyser in the stage's time budget,
so the finite verb is found by position (German verb second: right after the first phrase) and
Konjunktiv I by its ending -e where the indicative has -t ("bestehe"/"besteht"); words that end
in -e but are no verbs (adverbs, determiners, Präteritum -te) are excluded.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.stages.quotes.lex import (
    ARTICLES,
    FRONTED,
    NP_STOP,
    STRONG_SUBJUNCTIVE,
    SUBJUNCTIVE,
)
from storyline.stages.quotes.speaker import collect_np
from storyline.stages.quotes.text import Tok

_NOT_VERB_E = frozenset({  # words ending in -e of four letters or more that are no verbs
    "gerade", "gerne", "alleine", "lange", "ohne", "sowie", "alle", "beide", "viele", "einige",
    "manche", "solche", "jede", "andere", "weitere", "mehrere", "zugrunde", "infrage",
    "hierzulande", "heute", "bitte", "gleiche", "beinahe", "nahe", "ferne", "balde", "selbe",
    "zufolge", "eine", "keine", "meine", "deine", "seine", "ihre", "unsere", "diese", "jene",
    "welche", "große", "kleine", "neue", "alte", "erste", "letzte",
})
_PREPS = frozenset({"in", "an", "auf", "bei", "mit", "von", "nach", "aus", "für", "über", "unter",
                    "vor", "zu", "zum", "zur", "durch", "gegen", "um", "am", "im", "beim", "vom",
                    "seit", "trotz", "wegen", "neben", "hinter", "zwischen"})
_KONJ2 = frozenset({"wäre", "wären", "würde", "würden", "hätte", "hätten", "käme", "gäbe",
                    "ginge", "stünde", "bliebe", "wurde"})
_HEARSAY = frozenset({"soll", "sollen"})
_PERFECT = frozenset({"sein", "haben", "worden", "gewesen"})


def _second(toks: Sequence[Tok], a: int, b: int) -> int:
    """Index of the token after the first phrase of sentence [a, b) (the finite verb slot in a
    main clause), or -1 when the first phrase cannot be delimited."""
    low = toks[a].low
    if low in _PREPS:  # "Zur Panik bestehe ...": preposition + phrase
        np = collect_np(toks, a + 1, b)
        return np[1] if np else -1
    if low in FRONTED or low.endswith(("erweise", "lich")):  # one adverb: "Daran ändere ..."
        return a + 1
    np = collect_np(toks, a, b)
    return np[1] if np else -1


def konjunktiv(toks: Sequence[Tok], a: int, b: int) -> bool:
    """Is the finite verb of main clause [a, b) a Konjunktiv I/II form?"""
    v = _second(toks, a, b)
    if v < 0 or v >= b - 1:
        return False
    t = toks[v]
    if t.low in STRONG_SUBJUNCTIVE:
        return True
    if t.low in SUBJUNCTIVE or t.low in _KONJ2:  # "wäre", "würde": also plain conditionals
        return False
    if not t.text[:1].islower() or len(t.low) < 4 or not t.low.endswith("e"):
        return False
    if t.low.endswith("te") or t.low in _NOT_VERB_E or t.low in ARTICLES or t.low in NP_STOP:
        return False
    nxt = toks[v + 1]
    if {toks[v - 1].low, nxt.low} & {"ich", "wir"} or t.low.endswith("weise"):
        return False  # "Deshalb sage ich": first person, present indicative
    return not (nxt.text[:1].isupper() and nxt.low not in {"er", "sie", "es"}
                and nxt.low not in ARTICLES)


def hearsay(toks: Sequence[Tok], a: int, b: int) -> bool:
    """"X soll ... getötet worden sein": the modal "sollen" with a perfect infinitive reports
    what others claim, not an obligation."""
    e = b
    while e > a and not toks[e - 1].text[:1].isalnum():
        e -= 1
    return e - a > 3 and toks[e - 1].low in _PERFECT and any(
        toks[k].low in _HEARSAY for k in range(a, e - 1))
