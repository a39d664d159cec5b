"""Reported speech acts: a sentence whose subject says, demands, announces or plans something
without a message clause of its own ("Die SPD fordert höhere Löhne.", "Dabei bezeichnete er
die Lage als ernst.", "X hat seinen Rücktritt angekündigt."). SpkAtt marks the whole sentence
as the message and the subject as its source. Found here with kind "reported" so that the stage
can drop those whose subject cannot speak ("Die Lage"), once entities are known.

Extra verb lemmas below complement `data/speech_verbs_de.txt` for this pattern only. They were
chosen from verbs that the CC BY-SA SpkAtt-2023 GePaDe parliament train set annotates as cues
in at least 60 % of their uses (counted by a one-off script, not from the NC news set), keeping
those that report a speech act or stance in news prose.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from storyline.stages.quotes.lex import ARTICLES, FRONTED, Lexicon, add_verb, words
from storyline.stages.quotes.speaker import collect_np, extend_vorfeld, skip_adverbials
from storyline.stages.quotes.text import Found, Tok

# separable lemmas as "particle|base"; strong forms listed after "="
_EXTRA = (
    "aus|schließen = schließt schloss schlossen geschlossen",
    "voraus|sagen", "vorher|sagen", "bemängeln", "protestieren", "beantragen", "vor|legen",
    "ein|fordern", "an|mahnen", "widersprechen = widerspricht widersprach widersprachen "
    "widersprochen", "leugnen", "ab|streiten = streitet stritt stritten gestritten",
    "werben = wirbt warb warben geworben", "an|drohen", "verurteilen", "zu|stimmen",
    "befürworten", "an|zweifeln", "bezweifeln", "an|prangern", "aus|sprechen = spricht sprach "
    "sprachen gesprochen",
)
# "X sieht darin ...", "X hält Y für ...", "X rechnet mit ...", "X geht von ... aus": a stance
# only with the word that makes it one somewhere later in the sentence
_STANCE = {"sieht": "als darin", "sah": "als darin", "sahen": "als darin", "sehen": "als darin",
           "hält": "für", "hielt": "für", "hielten": "für", "halten": "für",
           "rechnet": "mit damit", "rechnete": "mit damit", "rechneten": "mit damit",
           "rechnen": "mit damit", "geht": "aus", "ging": "aus", "gingen": "aus",
           "gehen": "aus"}
_INTENT = frozenset({"will", "wollen", "wollte", "wollten"})
_AUX = frozenset({"hat", "hatte", "haben", "hatten"})  # not "wurde": a passive subject is no source
_SUBORD = frozenset({"als", "nachdem", "weil", "obwohl", "bevor", "während", "da", "wenn",
                     "ob", "damit", "sobald", "dass", "was", "um", "und", "oder", "aber",
                     "denn", "sondern", "man"})
_PEOPLE = frozenset({"er", "sie"})
_FIRST_PERSON = frozenset({"ich", "wir"})


@lru_cache(maxsize=1)
def _verbs() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """(forms that are cues alone, finite form -> separable particles) for this pattern."""
    forms: set[str] = set(words()["reported"])
    particle_of: dict[str, set[str]] = {}
    for line in _EXTRA:
        add_verb(line, forms, particle_of)
    return frozenset(forms), {k: frozenset(v) for k, v in particle_of.items()}


def _is_act(toks: Sequence[Tok], k: int, e: int, lex: Lexicon) -> bool:
    """Is token k a finite speech/stance verb of this sentence (particle present if needed)?"""
    low = toks[k].low
    if not toks[k].text[:1].islower() or (k + 1 < e and toks[k + 1].low == "mit"
                                           and not low.startswith("rechne")):
        return False  # "sprach mit seiner Frau": a conversation, not a statement
    forms, extra_particles = _verbs()
    if low in forms or low in lex.cue_forms:
        return True
    if low in _STANCE:
        need = _STANCE[low].split()
        return any(t.low in need for t in toks[k + 1:e])
    particles = lex.particle_of.get(low, frozenset()) | extra_particles.get(low, frozenset())
    return bool(particles) and toks[e - 1].low in particles


def _participle_cue(toks: Sequence[Tok], k: int, e: int, lex: Lexicon) -> bool:
    """After an auxiliary: does the sentence end in a cue participle/infinitive?"""
    forms, _ = _verbs()
    last = toks[e - 1].low
    return last in lex.cue_forms or last in forms or (
        e - 2 > k and toks[e - 2].low in lex.cue_forms and toks[e - 1].low in {"worden",
                                                                               "haben"})


def reported(toks: Sequence[Tok], a: int, e: int, lex: Lexicon) -> Found | None:
    """The whole sentence [a, e) as a reported act of its subject, if it is one."""
    if e - a < 5 or toks[a].low in _SUBORD or toks[a].low in _FIRST_PERSON:
        return None  # "Wir fordern ...": a speaker's own words, not a report about a speaker
    if toks[a].low in FRONTED or not toks[a].text[:1].isupper():
        return _fronted(toks, a, e, lex)
    np = collect_np(toks, a, e, appos=True)
    if np is None or np[1] >= e - 2 or toks[np[1]].text == ",":
        return None  # "Celebi, die ..., nennt": a relative clause, not this pattern
    for v in range(np[1], min(e - 2, np[1] + 8)):
        if _is_act(toks, v, e, lex) or toks[v].low in _INTENT or (
                toks[v].low in _AUX and _participle_cue(toks, v, e, lex)):
            if extend_vorfeld(toks, np, v)[1] != v:
                return None
            return Found(a, e, "reported", v, np[0], v)
    return None


def _fronted(toks: Sequence[Tok], a: int, e: int, lex: Lexicon) -> Found | None:
    """"Dabei bezeichnete er ...", "Mit X rechnet der Wetterdienst ...": verb second, subject
    right after it."""
    for v in range(a + 1, min(e - 2, a + 9)):
        t = toks[v]
        if t.text in ",;:„»«“\"()":
            return None
        if not t.text[:1].islower() or not (_is_act(toks, v, e, lex) or t.low in _INTENT):
            continue
        s = skip_adverbials(toks, v + 1, e)
        np = collect_np(toks, s, e)
        if np is None or not (toks[s].low in _PEOPLE or toks[s].text[:1].isupper()
                              or toks[s].low in ARTICLES):
            return None
        return Found(a, e, "reported", v, *np)
    return None
