"""Name variants and roles: one canonical name per entity within an article.

Within an article, "Lawrow" after "Sergej Lawrow" becomes "Sergej Lawrow" (unless the article
names two persons of that surname: then it stays "Lawrow"), and a role word in front of a
person ("US-Außenminister John Kerry") is split off into `Mention.role`. The keys across
articles and languages (Lawrow = Lavrov, Moskau = Moscow) are `keys.canonical_key`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial

from storyline.model import Mention
from storyline.stages.entities.features import (
    NO_LEX,
    ORG_ENDINGS,
    ORG_WORDS,
    gazetteer,
    lexicon,
)
from storyline.stages.entities.keys import (
    ROLE_HEADS,
    TITLES,
    aliases,
    canonical_key,
    fold,
    is_role,
)

__all__ = ["aliases", "canonical_key", "fold", "is_role", "resolve", "split_role"]

# English words that make a role of several words before its head ("Foreign Minister").
ROLE_MODIFIERS = frozenset({
    "foreign", "prime", "deputy", "vice", "defence", "defense", "interior", "finance",
    "justice", "health", "economy", "trade", "state", "former", "acting", "chief", "senior",
    "un", "u.n.", "us", "u.s.", "eu", "nato", "white", "house", "press",
})
_WORD_BEFORE = re.compile(r"([\w.-]+)\s+$")


def split_role(text: str, mention: Mention) -> Mention:
    """Take role words off the front of a PER span, or pick up the one right before it."""
    role: list[str] = []
    start = mention.start
    while True:
        m = re.match(r"[\w.-]+\s+", text[start:mention.end])
        if not m or not (is_role(m.group().strip()) or m.group().strip().lower() in TITLES):
            break
        role.append(m.group().strip())
        start += m.end()
    if not role and mention.role is None:
        before = _WORD_BEFORE.search(text, max(0, mention.start - 60), mention.start)
        if before and is_role(before.group(1)):
            role.append(before.group(1))
            while len(role) < 4:  # "Foreign Minister", "Deputy Prime Minister"
                more = _WORD_BEFORE.search(text, max(0, before.start() - 40), before.start())
                if not more or more.group(1).lower() not in ROLE_MODIFIERS | set(ROLE_HEADS):
                    break
                role.insert(0, more.group(1))
                before = more
    mention.start = start
    mention.text = text[start:mention.end]
    roles = [r for r in role if r.lower() not in TITLES]
    mention.role = " ".join(roles) or mention.role
    return mention


Listed = Callable[[str], str]  # name -> its gazetteer tags ("LOC|FIRST"), "" if none
GENITIVE_ENDS = ("’s", "'s", "s", "'", "’")
NO_GENITIVE_S = ("s", "x", "z", "ß")  # German adds no -s after these: "Paris", "Damaskus"
PLACE_CUES = frozenset({"in", "im", "aus", "nach", "from", "near"})


def strip_genitive(name: str, known: Callable[[str], bool], listed: Listed = lambda n: ""
                   ) -> str:
    """'Putins' -> 'Putin' when 'Putin' is known; "Obama's" -> 'Obama'. A name that is
    itself listed ("Paris", "Damaskus", "Thomas") keeps its s, and German never adds one
    after s, x, z or ß, so the stem is never cut."""
    if listed(name):
        return name
    for suffix in GENITIVE_ENDS:
        base = name[: -len(suffix)]
        if (name.endswith(suffix) and len(name) > len(suffix) + 2 and known(base)
                and not (suffix == "s" and base.endswith(NO_GENITIVE_S))):
            return base
    return name


def genitive_before_noun(text: str, m: Mention, listed: Listed) -> str | None:
    """'Assads' in "Assads Truppen": a one-word name in s right before a capitalised noun is
    a German genitive even where the nominative never occurs in the article."""
    name = m.text
    if " " in name or not name.endswith("s") or len(name) < 5 or listed(name) \
            or name[:-1].endswith(NO_GENITIVE_S) or not name[:1].isupper():
        return None
    nxt = re.match(r" ([A-ZÄÖÜ][a-zäöüß]+)", text[m.end:m.end + 40])
    return name[:-1] if nxt and not listed(nxt.group(1)) else None


def resolve(text: str, mentions: Sequence[Mention],
            lexicon: Callable[[str], bool] = lambda name: False,
            listed: Listed = lambda name: "") -> list[Mention]:
    """Split roles off persons, then give short/genitive variants their full name.

    `lexicon` tells places and organisations known outside the text (the gazetteer), so
    "Russlands" becomes "Russland" even where the nominative never occurs; `listed` gives
    any name's gazetteer tags."""
    out = [split_role(text, m) if m.type == "PER" else m for m in mentions]
    out = [m for m in out if m.text.strip()]
    full = _full_names(out)
    by_type: dict[str, set[str]] = {}
    for m in out:
        by_type.setdefault(m.type, set()).add(m.text)
    suffixes = {" ".join(n.split()[-k:]): n for n in full.values() for k in (1, 2)}
    persons = set(suffixes) | by_type.get("PER", set())
    for m in out:
        base = strip_genitive(m.text, partial(
            _known, seen=by_type.get(m.type, set()) | set(suffixes),
            lexicon=lexicon if m.type != "PER" else None), listed)
        if m.type == "PER" and base == m.text:
            places = by_type.get("LOC", set())  # "Drohung Washingtons" beside "Washington"
            base = (m.text[:-1] if m.text.endswith("s") and m.text[:-1] in places
                    else genitive_before_noun(text, m, listed) or base)
        if base in persons and m.type != "PER" and not _place_here(text, m):
            m.type = "PER"  # "Kerry" typed LOC beside "John Kerry" in the same article
        elif m.type == "PER" and _place_genitive(m.text, base, persons | set(full),
                                                 by_type.get("LOC", set()), listed):
            m.type = "LOC"  # "Kanadas", "Washingtons": a place's genitive, not a person
        elif m.type != "ORG" and " " in m.text and _org_head(m.text.split()[-1]):
            m.type = "ORG"  # "Russlands Außenministerium"
            base = m.text
        if m.type == "PER":
            words = base.split()
            base = suffixes.get(base, full.get(words[-1], base) if words else base)
        m.canonical = base
    return unify_types(out)


def _full_names(mentions: Sequence[Mention]) -> dict[str, str]:
    """Last token -> the longest person name ending in it, for surnames that name one person
    in the article: with "Boris Johnson" and "Mary Johnson" a bare "Johnson" stays itself."""
    full: dict[str, str] = {}
    people: dict[str, set[str]] = {}
    for m in mentions:
        if m.type == "PER" and " " in m.text:
            last = m.text.split()[-1]
            key = canonical_key(m.text, "PER")
            if "." in key:  # a given name: "Ms Le Pen" is a surname with a title
                people.setdefault(last, set()).add(key)
            if len(m.text) > len(full.get(last, "")):
                full[last] = m.text
    return {last: name for last, name in full.items() if len(people.get(last, ())) <= 1}


def _place_here(text: str, m: Mention) -> bool:
    """A place word right before the mention ("in Kerry"): keep it a place."""
    before = _WORD_BEFORE.search(text, max(0, m.start - 30), m.start)
    return m.type == "LOC" and before is not None and before.group(1).lower() in PLACE_CUES


def _place_genitive(name: str, base: str, persons: set[str], places: set[str],
                    listed: Listed) -> bool:
    """'Kanadas', 'Washingtons' typed PER: the genitive of a place of the article or of the
    gazetteer (and no person's name)."""
    if base == name or " " in base or base in persons:
        return False
    tags = listed(base)
    return base in places or ("LOC" in tags and "FIRST" not in tags and "LAST" not in tags)


ORG_HEADS = (*ORG_ENDINGS, "rat", "front", "bund", "koalition", "regierung")


def noun_compound(name: str) -> bool:
    """'Syrien-Gespräche', 'US-Drohung': a hyphen compound ending in a common noun (not an
    organisation's head word, "UN-Sicherheitsrat") is no name; GermEval marks it *part."""
    if " " in name or "-" not in name:
        return False
    last = name.rsplit("-", 1)[1]
    return bool(last) and last[0].isupper() and last not in ORG_WORDS and (
        lexicon().get(last, NO_LEX)[2] == "N" or is_role(last)) and not _org_head(last)


def cut_genitive_nouns(text: str, mentions: list[Mention]) -> list[Mention]:
    """'Lawrows Sprecher' tagged PER is the genitive 'Lawrows' before a common noun or role:
    the noun goes, the genitive stays (and is resolved to 'Sergej Lawrow')."""
    out = []
    for m in mentions:
        words = m.text.split(" ")
        if m.type == "PER" and len(words) == 2 and words[0].endswith("s") \
                and not _first_name(words[0]) and (
                lexicon().get(words[1], NO_LEX)[2] == "N" or is_role(words[1])):
            m = Mention(words[0], "PER", m.start, m.start + len(words[0]))
        out.append(m)
    return out


def _first_name(word: str) -> bool:
    """'Hubertus', 'Markus': a first name in s, not a genitive."""
    return "V" in lexicon().get(word, NO_LEX)[2] or "FIRST" in gazetteer()[0].get((word,), "")


def merge_genitive_orgs(text: str, mentions: list[Mention]) -> list[Mention]:
    """'Russlands' (LOC) right before 'Außenministerium' (ORG) is one organisation."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and prev.type == "LOC" and prev.text.endswith("s") \
                and m.type == "ORG" and text[prev.end:m.start] == " " \
                and _org_head(m.text.split(" ")[0]):
            out[-1] = Mention(text[prev.start:m.end], "ORG", prev.start, m.end)
        else:
            out.append(m)
    return out


def _org_head(word: str) -> bool:
    return word[:1].isupper() and word.lower().endswith(ORG_HEADS)


def unify_types(mentions: list[Mention]) -> list[Mention]:
    """One name, one type per article: a name typed two ways takes the type it got most
    (ties: the first), and MISC, where uncertain names end up, always yields."""
    kinds: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.type != "MISC":
            kinds.setdefault(m.canonical, Counter())[m.type] += 1
    for m in mentions:
        if m.canonical in kinds:
            m.type = kinds[m.canonical].most_common(1)[0][0]
    return mentions


def _known(name: str, seen: set[str], lexicon: Callable[[str], bool] | None) -> bool:
    return name in seen or (lexicon is not None and lexicon(name))
