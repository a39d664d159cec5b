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
# left out of a key, not off the mention (split_role: the articles' names and the grouping
# features built on them stay as they were)
KEY_TITLES = TITLES | {"dr", "prof", "mr", "mrs", "ms", "herrn"}
PARTICLES = frozenset({"al", "el", "ad", "as", "von", "van", "der", "de", "bin", "ibn", "abu",
                       "zu", "le", "la", "da", "di", "du", "del", "dos"})
# Role words: titles and functions written before a name. A hyphenated prefix
# ("US-", "UN-", "Ex-") and compounds ending in these ("Außenminister") count too.
ROLE_HEADS = (
    "präsident", "präsidentin", "minister", "ministerin", "kanzler", "kanzlerin", "chef",
    "chefin", "sprecher", "sprecherin", "botschafter", "botschafterin", "gesandte",
    "gesandter", "general", "generalsekretär", "generalsekretärin", "vorsitzende",
    "vorsitzender", "führer", "könig", "königin", "prinz", "papst", "premier", "premierminister",
    "diktator", "machthaber", "senator", "senatorin", "abgeordnete", "abgeordneter",
    "bürgermeister", "bürgermeisterin", "kommandeur", "oberbefehlshaber", "trainer", "direktor",
    "direktorin", "leiter", "leiterin", "sekretär", "sekretärin", "vermittler", "beauftragte",
    "beauftragter", "gouverneur", "president", "minister", "secretary", "senator", "chancellor",
    "spokesman", "spokeswoman", "envoy", "ambassador", "governor", "mayor", "king", "queen",
    "pope", "prime", "general", "foreign", "commander", "chief", "leader",
)
_HEADS = "|".join(sorted(set(ROLE_HEADS), key=len, reverse=True))
_ROLE_RE = re.compile(rf"^(?:[\w.]+-)?\w*(?:{_HEADS})$", re.IGNORECASE)


# more role words a key skips before a given name (not split off mentions, as KEY_TITLES)
_KEY_ROLE_RE = re.compile(r"^\w*(?:prosecutor|cardinal|judge|bishop|chairman|chairwoman|"
                          r"staatsanwalt|staatsanwältin|bischof|kardinal)$", re.IGNORECASE)


def is_role(word: str) -> bool:
    return bool(word) and word[0].isupper() and bool(_ROLE_RE.match(word))


def _key_role(word: str) -> bool:
    return is_role(word) or bool(_KEY_ROLE_RE.match(word))
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
    return [w for w in words if w.lower() not in PARTICLES and w.lower() not in KEY_TITLES]


@lru_cache(maxsize=200_000)
def canonical_key(name: str, type: str) -> str:
    """Grouping key across articles: a person by the initial of the given name and the
    surname ("PER:s.lavrov" for Sergej Lawrow and Sergey Lavrov; the initial, not the whole
    given name, because given names romanise less regularly: Aleksandr/Alexander), a bare
    surname by itself ("PER:lavrov"); others by folded name (its English name when it has
    one)."""
    if type == "PER":
        words = [w for w in person_words(name) if fold(w)]
        if not words:
            return f"PER:{fold(name)}"
        given = given_name(words)
        return f"PER:{fold(given)[0]}.{fold(words[-1])}" if given else f"PER:{fold(words[-1])}"
    name = aliases().get(name.strip(), name)
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    return f"{type}:{fold(' '.join(words))}"


def given_name(words: list[str]) -> str | None:
    """The given name among the words before the surname: the first known first name
    ("German Chancellor Angela Merkel" -> Angela), else the first word that is no role and
    precedes none (a name the lists lack: Tamerlan, Baschar); None for a surname alone."""
    before = words[:-1]
    cands = [w for i, w in enumerate(before)
             if not _key_role(w) and not (i + 1 < len(words) and _key_role(words[i + 1]))]
    return next((w for w in cands if _first_name(w)), cands[0] if cands else None)


def _first_name(word: str) -> bool:
    from storyline.stages.entities.features import NO_LEX, gazetteer, lexicon

    return "V" in lexicon().get(word, NO_LEX)[2] or "FIRST" in gazetteer()[0].get((word,), "")


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """One key per written name whatever its type, for voting on a name's type across a
    story (Sidorow PER here, Sidorov MISC there)."""
    return fold(" ".join(person_words(aliases().get(name.strip(), name))))


def surname(key: str) -> str:
    """'PER:b.johnson' -> 'johnson'; a bare key's body is its surname."""
    body = key.split(":", 1)[-1]
    return body.rsplit(".", 1)[-1]
