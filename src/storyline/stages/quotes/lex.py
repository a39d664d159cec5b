"""Word lists for the quotes stage: speech-verb forms, role nouns, function words.

German verb forms are generated from lemma lines in `data/speech_verbs_de.txt` by hand-written
rules (weak conjugation, inseparable prefixes, separable particles): no library in our
dependencies conjugates German, and lemmatising every token at run time (simplemma) costs more
than the whole stage may take. The lists are loaded once and cached (read-only afterwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_INSEPARABLE = ("be", "er", "ver", "ent", "zer", "emp", "miss", "ge", "über", "unter", "wider")


@dataclass(frozen=True)
class Lexicon:
    cue_forms: frozenset[str]  # finite or participle forms that are cues on their own
    particle_of: dict[str, frozenset[str]]  # "teilte" -> {"mit"}: needs the particle later
    en_cues: frozenset[str]
    role_words: frozenset[str]
    role_suffixes: tuple[str, ...]


def _lines(name: str) -> list[str]:
    text = resources.files("storyline").joinpath(f"data/{name}").read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _weak_forms(stem_inf: str) -> tuple[list[str], str]:
    """Finite forms and past participle of a weak verb given its infinitive."""
    stem = stem_inf[:-2] if stem_inf.endswith("en") else stem_inf[:-1]
    # "erklären": stem "erklär"; "melden": stem "meld" needs an -e- before t ("meldet")
    e = "e" if stem.endswith(("d", "t", "chn", "gn", "ffn", "dm", "tm")) else ""
    finite = [stem_inf, stem + "e", stem + e + "t", stem + e + "te", stem + e + "ten",
              stem + e + "test", stem + "est"]
    no_ge = stem_inf.endswith("ieren") or stem_inf.startswith(_INSEPARABLE)
    part = stem + e + "t" if no_ge else "ge" + stem + e + "t"
    return finite, part


def add_verb(line: str, forms: set[str], particle_of: dict[str, set[str]]) -> None:
    lemma, _, strong = line.partition("=")
    lemma = lemma.strip()
    particle, _, base = lemma.rpartition("|")
    particle = particle.rpartition("|")[2]  # "davon|aus|gehen": the particle is "aus"
    if strong.strip():
        *finite, part = strong.split()
        finite = [base, *finite]
    else:
        finite, part = _weak_forms(base)
    if not particle:
        forms.update(finite)
        forms.add(part)
        return
    if particle == "wissen":  # "ließ wissen": the particle-like word comes first
        particle_of.update({f: particle_of.get(f, set()) | {"wissen"} for f in finite})
        return
    for f in finite:
        particle_of.setdefault(f, set()).add(particle)
        forms.add(particle + f)  # "mitteilte" in a subordinate clause
    forms.add(particle + (part if part.startswith("ge") else part))  # "mitgeteilt"
    forms.add(particle + "zu" + base)  # "mitzuteilen"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    forms: set[str] = set()
    particle_of: dict[str, set[str]] = {}
    for line in _lines("speech_verbs_de.txt"):
        add_verb(line, forms, particle_of)
    # a form that is a cue alone and also a separable base stays a plain cue ("gibt" is not)
    roles = _lines("speaker_roles_de.txt")
    return Lexicon(
        cue_forms=frozenset(f.lower() for f in forms),
        particle_of={k.lower(): frozenset(v) for k, v in particle_of.items()},
        en_cues=frozenset(_lines("speech_verbs_en.txt")),
        role_words=frozenset(r for r in roles if not r.startswith("-")),
        role_suffixes=tuple(r[1:] for r in roles if r.startswith("-")),
    )


@lru_cache(maxsize=1)
def words() -> dict[str, frozenset[str]]:
    """The "[name]" lists of `data/quote_words.txt`."""
    out: dict[str, set[str]] = {}
    current: set[str] = set()
    for line in _lines("quote_words.txt"):
        if line.startswith("["):
            current = out.setdefault(line.strip("[]"), set())
        else:
            current.update(line.split())
    return {k: frozenset(v) for k, v in out.items()}


SUBJUNCTIVE = words()["subjunctive"]
STRONG_SUBJUNCTIVE = words()["subjunctive_strong"]
FRONTED = words()["fronted"]
NP_STOP = words()["np_stop"]
ARTICLES = words()["articles"]
PRONOUNS = frozenset({"er", "sie"})
EN_PRONOUNS = frozenset({"he", "she", "they"})
