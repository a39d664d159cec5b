"""Name variants and roles: one canonical name per entity within an article, one key across.

Within an article, "Lawrow" after "Sergej Lawrow" becomes "Sergej Lawrow", and a role word
in front of a person ("US-Außenminister John Kerry") is split off into `Mention.role`.
Across articles and languages, `canonical_key` folds German and English romanisations of the
same Russian/Arabic name (Lawrow/Lavrov, Schoigu/Shoigu) onto one key. No library does this
folding (unidecode only strips accents), hence the hand-written rules below.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from importlib import resources

from storyline.model import Mention
from storyline.stages.entities.features import ORG_ENDINGS
from storyline.stopwords import stop_words

STOP_WORDS = stop_words("en")

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
TITLES = frozenset({
    "herr", "frau", "dr.", "prof.", "mr.", "mrs.", "ms.", "sir", "lord", "scheich", "sheikh",
})
PARTICLES = frozenset({"al", "el", "ad", "as", "von", "van", "der", "de", "bin", "ibn", "abu"})
_HEADS = "|".join(sorted(set(ROLE_HEADS), key=len, reverse=True))
_ROLE_RE = re.compile(rf"^(?:[\w.]+-)?\w*(?:{_HEADS})$", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([\w.-]+)\s+$")


def is_role(word: str) -> bool:
    return bool(word) and word[0].isupper() and bool(_ROLE_RE.match(word))


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
    full: dict[str, str] = {}  # last token -> longest person name seen with it
    for m in out:
        if m.type == "PER" and " " in m.text:
            last = m.text.split()[-1]
            if len(m.text) > len(full.get(last, "")):
                full[last] = m.text
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


def _org_head(word: str) -> bool:
    return word[:1].isupper() and word.lower().endswith(ORG_ENDINGS)


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


def fold(name: str) -> str:
    """Spelling skeleton shared by German and English romanisations."""
    s = unicodedata.normalize("NFKD", name.lower().replace("ß", "ss"))
    s = "".join(c for c in s if c.isalnum() or c == " ")
    for a, b in (("ae", "a"), ("oe", "o"), ("ue", "u"), ("tsch", "ch"), ("sch", "sh"),
                 ("zh", "sh"), ("kh", "ch"), ("ck", "k"),
                 ("ph", "f"), ("dh", "d"), ("th", "t"), ("w", "v"), ("j", "i"), ("y", "i"),
                 ("z", "s"), ("q", "k"), ("x", "ks"), ("ou", "u"), ("off", "ov"), ("ie", "i")):
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)  # Assad/Asad, Gaddafi/Gadafi, Dmitrij/Dmitri
    return s.strip()


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Place (and a few organisation) names -> their English name (scripts/train_ner.py:
    CLDR and geonames), so "Moskau" and "Moscow" share a key; translations, not spellings."""
    raw = resources.files("storyline").joinpath("data/ner_aliases.tsv").read_text("utf-8")
    return dict(line.split("\t", 1) for line in raw.splitlines() if "\t" in line)


def canonical_key(name: str, type: str) -> str:
    """Grouping key across articles: persons by folded final name, others by folded name
    (its English name when it has one)."""
    if type != "PER":
        name = aliases().get(name.strip(), name)
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    if type == "PER":
        words = [w for w in words if w.lower() not in PARTICLES and w.lower() not in TITLES]
        words = words[-1:]
    return f"{type}:{fold(' '.join(words))}"


EN_CONNECT = frozenset({"of", "de", "la", "le", "van", "von", "der", "du", "al", "bin", "da"})
EN_SKIP = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "i", "mr", "mrs", "ms", "dr", "sir", "english", "german", "french",
    "russian", "american", "british", "european", "syrian", "ukrainian", "chinese", "israeli",
    "iranian", "turkish", "arab", "jewish", "muslim", "christian", "islamic", "western",
    "eastern", "northern", "southern", "soviet", "dutch", "greek", "swiss", "italian", "spanish",
    "polish", "palestinian", "kurdish", "afghan", "iraqi", "korean", "japanese", "indian",
    "african", "asian", "latin", "catholic", "sunni", "shiite", "shia", "democratic", "republican"
})
EN_ORG = frozenset({
    "Inc", "Corp", "Ltd", "LLC", "Co", "Party", "Union", "Ministry", "Department", "Council",
    "Bank", "Agency", "University", "Army", "Committee", "Commission", "Court", "Parliament",
    "Congress", "Senate", "Group", "Company", "Association", "Institute", "Foundation",
    "Organization", "Organisation", "Forces", "Police", "Times", "News", "Post", "Journal",
    "Press", "Network", "Office", "Government", "Assembly", "Federation", "League", "Club",
    "Airlines", "Guardian", "Reuters"
})
NAME_MONTHS = frozenset({"april", "may", "june", "august"})  # "Theresa May"
EN_PLACE_CUE = frozenset({"in", "at", "from", "to", "near", "across", "outside", "of"})


def _en_runs(words: Sequence[str], bos: Sequence[bool],
             gaz: dict[tuple[str, ...], str]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised words, bridging 'of'/'de'/'al' inside a name; a
    possessive ("Korea's") ends a run, a month after a first name is a name ("Theresa May")."""
    from simplemma import is_known

    def cap(i: int) -> bool:
        w = words[i]
        low = w.lower()
        if low in EN_SKIP:
            return low in NAME_MONTHS and i > 0 and "FIRST" in gaz.get((words[i - 1],), "")
        if bos[i] and (is_role(w) or any(tuple(words[i:i + n]) in gaz for n in (2, 3))):
            return True  # "North Korea" or "Prime Minister" opening a sentence
        return w[:1].isupper() and not (bos[i] and (low in STOP_WORDS or is_known(low, "en")))

    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if not cap(i):
            i += 1
            continue
        j = i + 1
        while j < len(words) and not words[j - 1].endswith(("'s", "’s")) and (
                cap(j) or (words[j] in EN_CONNECT and j + 1 < len(words) and cap(j + 1))):
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _en_type(run: Sequence[str], prev: str, gaz: dict[tuple[str, ...], str]) -> str:
    tags = gaz.get(tuple(run), "") or gaz.get(tuple(w.title() for w in run), "")
    for kind in ("LOC", "ORG"):
        if kind in tags:
            return kind
    if run[-1] in EN_ORG or (len(run) == 1 and run[0].isupper() and 1 < len(run[0]) < 7):
        return "ORG"
    if len(run) > 1 and "FIRST" in gaz.get((run[0],), ""):
        return "PER"
    if "LAST" in tags or "FIRST" in tags:
        return "PER"
    return "LOC" if prev.lower() in EN_PLACE_CUE and len(run) < 4 else "MISC"


def english(text: str, sents: Sequence[Sequence[tuple[int, int]]],
            gaz: dict[tuple[str, ...], str]) -> list[Mention]:
    """Rules for English: capitalisation is a strong cue there, unlike in German, so
    capitalised runs are typed by gazetteer, first-name and organisation-word evidence."""
    out: list[Mention] = []
    for sent in sents:
        words = [text[a:b] for a, b in sent]
        bos = [i == 0 or words[i - 1] in ".!?:\"“‘" for i in range(len(words))]
        for i, j in _en_runs(words, bos, gaz):
            last = words[j - 1].lower().replace("’", "'").removesuffix("'s")
            if (last.rstrip("s") in EN_SKIP and last not in NAME_MONTHS) or (j - i == 1 and (
                    last in STOP_WORDS or last.endswith(("'ve", "'re", "'ll", "'d", "'m")))):
                continue  # "North Korean", "Americans", "We've": not names
            roles = [k + 1 for k in range(i, j - 1) if is_role(words[k])]
            k = next((k for k in range(i, j - 1) if "FIRST" in gaz.get((words[k],), "")),
                     max(roles, default=i))
            role = text[sent[i][0]:sent[k - 1][1]] if k > i else None
            run = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words[k:j]]
            kind = _en_type(run, words[k - 1] if k else "", gaz)
            kind = "PER" if role and kind == "MISC" else kind  # "President Trump"
            start, end = sent[k][0], sent[j - 1][1]
            end -= 2 if text[start:end].endswith(("'s", "’s")) else 0
            out.append(Mention(text[start:end], kind, start, end, role=role))
    return out
