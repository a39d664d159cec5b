"""CRF features for the German NER tagger, and the word lists they read.

Shared by training (scripts/train_ner.py), evaluation and the entities stage, so a model
always sees the features it was trained with. Features that depend on one word alone are
computed once per distinct word and cached: words repeat heavily within and across
articles, and building feature strings is half the tagging time.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from itertools import groupby

import simplemma

from storyline.stages.entities import english as english_stats

SENT_END = frozenset(".!?:;…")
QUOTES = frozenset("\"'„“”‚‘’«»›‹")
LETTER_CLASS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ0123456789",
    "x" * 30 + "X" * 29 + "d" * 10,
)
# Words and word endings that mark organisations ("FC", "AG", "-ministerium"): GermEval
# test alone has too few organisations for the CRF to learn these from suffixes.
ORG_WORDS = frozenset({
    "FC", "SV", "TSV", "VfB", "VfL", "SC", "SG", "TuS", "BSC", "AG", "GmbH", "KG", "SE",
    "Inc.", "Ltd.", "Corp.", "e.V.", "Co.", "Holding", "Group", "Verlag", "Rundschau", "Kurier",
    "Allgemeine", "Post", "Times", "Partei", "Union", "Club", "Klub", "Rat", "Gruppe", "Werke",
})
ORG_ENDINGS = (
    "bank", "amt", "ministerium", "verband", "verein", "partei", "gericht", "institut",
    "konzern", "gesellschaft", "agentur", "dienst", "rundfunk", "zeitung", "stiftung", "werke",
    "kasse", "versicherung", "universität", "hochschule", "kommission", "behörde", "polizei",
    "armee", "fraktion", "gewerkschaft", "fernsehen", "radio", "ministry", "council",
)
# English organisation heads, a feature of their own ("oe") so the German "oc" stays as the
# shipped models learnt it; also marks a capitalised run as organisation-like (`cap_runs`).
ORG_WORDS_EN = frozenset({
    "Inc", "Inc.", "Corp", "Corp.", "Ltd", "Ltd.", "LLC", "LLP", "Co", "Company", "Corporation",
    "University", "College", "Institute", "Association", "Department", "Ministry", "Agency",
    "Bank", "Airlines", "Airways", "Party", "Committee", "Commission", "Council", "Foundation",
    "Society", "Federation", "League", "Board", "Authority", "Administration", "Bureau",
    "Services", "Systems", "Technologies", "Solutions", "Partners", "Associates", "Industries",
    "Enterprises", "Insurance", "Energy", "Power", "Securities", "Capital", "Fund", "Trust",
    "Church", "School", "Hospital", "Center", "Centre", "Club", "Team", "Army", "Navy", "Police",
    "Court", "Senate", "Congress", "Parliament", "Union", "Press", "News", "Times", "Journal",
    "Restaurant", "Grill", "Cafe", "Café", "Bakery", "Pizza", "Diner", "Hotel", "Motors",
})
# Lowercase words that may sit inside a name of several capitalised words ("Bank of America",
# "Institut für Weltwirtschaft", "Herzog & de Meuron").
CONNECT = frozenset({"of", "for", "and", "&", "the", "de", "du", "des", "der", "für", "und",
                     "la", "le", "del", "di", "da", "van", "von", "y", "on"})
NO_LEX = ("0", "0", "")
NO_CLUSTER = ("-", "-", "-")
GazIndex = tuple[dict[tuple[str, ...], str], dict[str, int]]
WordFeats = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
OFFSETS = (-2, -1, 1, 2)


@lru_cache(maxsize=1)
def gazetteer() -> GazIndex:
    """Phrase -> tags ("LOC", "FIRST", "LAST", "ORG"), built by scripts/train_ner.py."""
    raw = resources.files("storyline").joinpath("data/ner_gazetteer.tsv").read_text("utf-8")
    phrases: dict[tuple[str, ...], str] = {}
    longest: dict[str, int] = {}
    for line in raw.splitlines():
        name, _, tags = line.partition("\t")
        key = tuple(name.split(" "))
        phrases[key] = sys.intern(tags)
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
    return phrases, longest


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, str, str]]:
    """word -> (German frequency band, English band, noun class) from scripts/train_ner.py.

    Frequency bands are lowercase keys; noun classes (N common noun, T place, V first name,
    L surname, E other name, from Wiktionary) are keyed by the cased form. In German every
    noun is capitalised, so knowing which capitalised words are ordinary nouns matters most.
    """
    raw = resources.files("storyline").joinpath("data/ner_lexicon_de.tsv.gz").read_bytes()
    out: dict[str, tuple[str, str, str]] = {}
    shared: dict[str, tuple[str, str, str]] = {}  # a few dozen distinct values: share them
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        word, _, rest = line.partition("\t")
        value = shared.get(rest)
        if value is None:
            de, en, noun = rest.split("\t")
            value = shared[rest] = (de, en, noun)
        out[word] = value
    return out


@lru_cache(maxsize=1)
def clusters() -> dict[str, tuple[str, str, str]]:
    """word -> its k-means cluster at 64, 256 and 1024 clusters of word2vec vectors learnt
    from unlabeled German and English text by scripts/train_clusters.py: words used alike
    (surnames, towns, firms) share an id, so what the CRF learnt of one reaches the others."""
    raw = resources.files("storyline").joinpath("data/ner_clusters.tsv.gz").read_bytes()
    out: dict[str, tuple[str, str, str]] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        word, c1, c2, c3 = line.split("\t")
        out[word] = (sys.intern(c1), sys.intern(c2), sys.intern(c3))
    return out


def lemma(w: str) -> str:
    """simplemma's German lemma ("Ministeriums" -> "Ministerium", "Merkels" -> "Merkel"):
    German inflects names and nouns, and the few training sentences hold one form of most."""
    try:
        return str(simplemma.lemmatize(w, lang="de"))
    except (ValueError, KeyError):  # pragma: no cover - simplemma's own odd inputs
        return w


def cluster(w: str, lem: str) -> tuple[str, str, str]:
    """The word's clusters, else those of its lowercase or capitalised form (sentence starts,
    headlines in capitals) or of its lemma, else NO_CLUSTER (rare words are a class)."""
    table = clusters()
    found = (table.get(w) or table.get(w.lower()) or table.get(w.capitalize())
             or table.get(lem))
    return found or NO_CLUSTER


@lru_cache(maxsize=1 << 16)
def org_word(w: str) -> bool:
    return w in ORG_WORDS or w in ORG_WORDS_EN or w.lower().endswith(ORG_ENDINGS)


def cap_runs(words: Sequence[str]) -> list[str]:
    """Per token, its place in a run of capitalised words (B, I, E or S for a single one),
    the run's length (up to 4) and whether any of its words names an organisation: 'S10',
    'B31'; '' outside runs. Lets the CRF see "FC Carl Zeiss Jena" or "Bank of America" as one
    candidate span, which three-word windows of single-word features cannot."""
    n = len(words)
    out = [""] * n
    i = 0
    while i < n:
        if not words[i][:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < n and (words[j][:1].isupper() or (
                words[j] in CONNECT and j + 1 < n and words[j + 1][:1].isupper())):
            j += 1
        org = "1" if any(org_word(w) for w in words[i:j]) else "0"
        size = str(min(j - i, 4))
        if j - i == 1:
            out[i] = "S" + size + org
        else:
            out[i:j] = ["B" + size + org] + ["I" + size + org] * (j - i - 2) + ["E" + size + org]
        i = j
    return out


def shape(word: str) -> str:
    return "".join(k for k, _ in groupby(word.translate(LETTER_CLASS)))[:6]


def gaz_candidate(w: str, gaz: GazIndex) -> bool:
    """Whether `gaz_tags` can tag this word when no phrase covers it: it starts a phrase, or
    it is the genitive of a one-word entry."""
    phrases, longest = gaz
    return w in longest or (len(w) > 3 and w[-1] == "s" and (w[:-1],) in phrases)


def gaz_tags(words: Sequence[str], gaz: GazIndex,
             candidates: Iterable[int] | None = None) -> list[str]:
    """Longest gazetteer match at each position, as B-/I- tags (joined when ambiguous).

    `candidates`, ascending, may name the positions whose word is a `gaz_candidate` (a
    superset is fine): the others get no tag of their own, so they need not be looked at."""
    phrases, longest = gaz
    out = [""] * len(words)
    covered = 0  # positions before this are inside a phrase already tagged
    for i in range(len(words)) if candidates is None else candidates:
        if i < covered:
            continue
        w = words[i]
        n = min(longest.get(w, 0), len(words) - i)
        while n and tuple(words[i:i + n]) not in phrases:
            n -= 1
        if not n:
            if len(w) > 3 and w[-1] == "s" and (w[:-1],) in phrases:
                out[i] = "G" + phrases[(w[:-1],)]  # genitive: "Russlands"
            continue
        tags = phrases[tuple(words[i:i + n])]
        out[i] = "B" + tags
        for j in range(i + 1, i + n):
            out[j] = "I" + tags
        covered = i + n
    return out


@lru_cache(maxsize=1 << 16)
def word_features(w: str, english: bool = False) -> WordFeats:
    """The features of one word on its own, and as seen from each neighbour offset;
    `english` adds `entities.english`'s cased statistics (only models trained with them
    ask: the table costs ~65 MB and a second to load)."""
    lex = lexicon()
    low = w.lower()
    sh = shape(w)
    noun = lex.get(w, NO_LEX)[2] or "-"
    org = "1" if w in ORG_WORDS or low.endswith(ORG_ENDINGS) else "0"
    de, en, _ = lex.get(low, NO_LEX)
    lem = lemma(w)
    k1, k2, k3 = cluster(w, lem)
    own = ["b", "w=" + w, "l=" + low, "s2=" + low[-2:], "s3=" + low[-3:], "s4=" + low[-4:],
           "p3=" + low[:3], "sh=" + sh, f"len={min(len(w), 12)}", "zd=" + de, "ze=" + en,
           f"zc={de}{w[:1].isupper():d}", "gn=" + noun, "oc=" + org,
           "k1=" + k1, "k2=" + k2, "k3=" + k3, f"oe={w in ORG_WORDS_EN:d}",
           "lm=" + lem.lower(), *(english_stats.features(w) if english else ())]
    if "-" in w:
        own.append("hy=" + w.rsplit("-", 1)[-1].lower()[-5:])
        own.append("hy0=" + sh.split("-", 1)[0])
    ctx = []
    near = [english_stats.context(w)] if english else []
    for d in OFFSETS:
        f = [f"{d}:l={low}", f"{d}:sh={sh}", f"{d}:oc={org}", f"{d}:k1={k1}"]
        if d in (-1, 1):
            f += [f"{d}:s3={low[-3:]}", f"{d}:gn={noun}", f"{d}:k2={k2}",
                  *(f"{d}:{x}" for x in near)]
        ctx.append(tuple(f))
    return tuple(own), tuple(ctx)


def token_features(words: Sequence[str], english: bool = False) -> list[list[str]]:
    """CRF features of one sentence; shared by training, evaluation and `run`."""
    gaz = gaz_tags(words, gazetteer())
    runs = cap_runs(words)
    per_word = [word_features(w, english) for w in words]
    lows = [w.lower() for w in words]
    n = len(words)
    feats: list[list[str]] = []
    for i, (own, _) in enumerate(per_word):
        bos = i == 0 or words[i - 1] in SENT_END or (
            words[i - 1] in QUOTES and (i == 1 or words[i - 2] in SENT_END))
        f = [*own, "g=" + gaz[i], f"bos={bos:d}", "ru=" + runs[i]]
        for k, d in enumerate(OFFSETS):
            j = i + d
            if 0 <= j < n:
                f += per_word[j][1][k]
                f.append(f"{d}:g={gaz[j]}")
            else:
                f.append(f"{d}:pad")
        if i:
            f.append("bi-=" + lows[i - 1] + "|" + lows[i])
        if i + 1 < n:
            f.append("bi+=" + lows[i] + "|" + lows[i + 1])
        feats.append(f)
    return feats
