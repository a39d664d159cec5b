"""Entity keys across articles and languages: one spelling skeleton for German and English
romanisations (Lawrow/Lavrov), English names for places (Moskau/Moscow), and persons keyed by
given-name initial and surname ("PER:b.johnson"), so two Johnsons of one story stay apart.

A bare surname ("Johnson") gets a key of its own ("PER:johnson"); it joins a full name only
where that is unambiguous: inside its article (`names.resolve`) or inside its story
(`store/storynames.py`), when exactly one person of that surname is named there. No library
does this folding (unidecode only strips accents), hence the hand-written rules below.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

TITLES = frozenset({
    "herr", "frau", "dr.", "prof.", "mr.", "mrs.", "ms.", "sir", "lord", "scheich", "sheikh",
})
PARTICLES = frozenset({"al", "el", "ad", "as", "von", "van", "der", "de", "bin", "ibn", "abu"})
_FOLDS = (("ae", "a"), ("oe", "o"), ("ue", "u"), ("tsch", "ch"), ("sch", "sh"),
          ("zh", "sh"), ("kh", "ch"), ("ck", "k"),
          ("ph", "f"), ("dh", "d"), ("th", "t"), ("w", "v"), ("j", "i"), ("y", "i"),
          ("z", "s"), ("q", "k"), ("x", "ks"), ("ou", "u"), ("off", "ov"), ("ie", "i"))


@lru_cache(maxsize=100_000)
def fold(name: str) -> str:
    """Spelling skeleton shared by German and English romanisations."""
    s = unicodedata.normalize("NFKD", name.lower().replace("ß", "ss"))
    s = "".join(c for c in s if c.isalnum() or c == " ")
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)  # Assad/Asad, Gaddafi/Gadafi, Dmitrij/Dmitri
    return s.strip()


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Place (and a few organisation) names -> their English name (scripts/train_ner.py:
    CLDR and geonames), so "Moskau" and "Moscow" share a key; translations, not spellings."""
    raw = resources.files("storyline").joinpath("data/ner_aliases.tsv").read_text("utf-8")
    return dict(line.split("\t", 1) for line in raw.splitlines() if "\t" in line)


def person_words(name: str) -> list[str]:
    """The words of a person's name without titles and particles ("al-Assad" -> "Assad")."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    return [w for w in words if w.lower() not in PARTICLES and w.lower() not in TITLES]


@lru_cache(maxsize=200_000)
def canonical_key(name: str, type: str) -> str:
    """Grouping key across articles: a person by the initial of the given name and the
    surname ("PER:s.lavrov" for Sergej Lawrow and Sergey Lavrov; the initial, not the whole
    given name, because given names romanise less regularly: Aleksandr/Alexander), a bare
    surname by itself ("PER:lavrov"); others by folded name (its English name when it has
    one)."""
    if type == "PER":
        words = [fold(w) for w in person_words(name)]
        words = [w for w in words if w]
        if len(words) >= 2:
            return f"PER:{words[0][0]}.{words[-1]}"
        return f"PER:{words[-1] if words else fold(name)}"
    name = aliases().get(name.strip(), name)
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    return f"{type}:{fold(' '.join(words))}"


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """One key per written name whatever its type, for voting on a name's type across a
    story (Sidorow PER here, Sidorov MISC there)."""
    return fold(" ".join(person_words(aliases().get(name.strip(), name))))


def surname(key: str) -> str:
    """'PER:b.johnson' -> 'johnson'; a bare key's body is its surname."""
    body = key.split(":", 1)[-1]
    return body.rsplit(".", 1)[-1]
