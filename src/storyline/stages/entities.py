"""Named entities (PER, ORG, LOC, MISC) with exact offsets into `Article.text`.

German text is tagged by a linear-chain CRF (python-crfsuite) that we train ourselves on
GermEval 2014 (scripts/train_ner.py): a CRF with gazetteer, shape and context features learns
far more from 100k tokens than a neural tagger, and tags a 3 KB article in a few ms. English
text gets the same CRF (its features are mostly shape/gazetteer) plus capitalisation rules.
Name variants and roles are resolved in `storyline.stages.names`.
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from itertools import groupby

from storyline.model import Article, Mention
from storyline.settings import Settings
from storyline.stages import names

SETS: tuple[str, ...] = ("entities",)

# Tokens as GermEval cuts them: hyphen compounds stay whole ("US-Außenminister"), common
# abbreviations and initials keep their dot, everything else that is not a word is one char.
TOKEN_RE = re.compile(
    r"(?:[A-ZÄÖÜ]\.){2,}"
    r"|(?:ca|bzw|vgl|usw|etc|Dr|Prof|St|Nr|Mio|Mrd|Jh|Hr|Fr|Abs|Art|Gen|Sen|Jr|Mr|Mrs|Ms)\."
    r"|[A-ZÄÖÜ]\.(?=\s?[A-ZÄÖÜ])"
    r"|\w+(?:[-'’&]\w+)*"
    r"|\S"
)
SENT_END = frozenset(".!?:;…")
QUOTES = frozenset("\"'„“”‚‘’«»›‹")
MAX_SENT = 120  # long unpunctuated runs are cut so the CRF never sees a huge sequence
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
NO_LEX = ("0", "0", "")
Span = tuple[int, int, str]
GazIndex = tuple[dict[tuple[str, ...], str], dict[str, int]]


def tokenize(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN_RE.finditer(text)]


def sentences(text: str, spans: Sequence[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Cut after . ! ? : when a capital, quote or line break follows, and at blank lines."""
    current: list[tuple[int, int]] = []
    for span in spans:
        if current:
            prev = text[current[-1][0]:current[-1][1]]
            gap = text[current[-1][1]:span[0]]
            first = text[span[0]]
            if ("\n" in gap or len(current) >= MAX_SENT
                    or (prev in SENT_END and (first.isupper() or first in QUOTES))):
                yield current
                current = []
        current.append(span)
    if current:
        yield current


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


def shape(word: str) -> str:
    return "".join(k for k, _ in groupby(word.translate(LETTER_CLASS)))[:6]


def gaz_tags(words: Sequence[str], gaz: GazIndex) -> list[str]:
    """Longest gazetteer match at each position, as B-/I- tags (joined when ambiguous)."""
    phrases, longest = gaz
    out = [""] * len(words)
    i = 0
    while i < len(words):
        n = min(longest.get(words[i], 0), len(words) - i)
        while n and tuple(words[i:i + n]) not in phrases:
            n -= 1
        if not n:
            w = words[i]
            if len(w) > 3 and w[-1] == "s" and (w[:-1],) in phrases:
                out[i] = "G" + phrases[(w[:-1],)]  # genitive: "Russlands"
            i += 1
            continue
        tags = phrases[tuple(words[i:i + n])]
        out[i] = "B" + tags
        for j in range(i + 1, i + n):
            out[j] = "I" + tags
        i += n
    return out


def token_features(words: Sequence[str]) -> list[list[str]]:
    """CRF features of one sentence; shared by training, evaluation and `run`."""
    gaz = gaz_tags(words, gazetteer())
    lex = lexicon()
    lows = [w.lower() for w in words]
    shapes = [shape(w) for w in words]
    nouns = [lex.get(w, NO_LEX)[2] or "-" for w in words]
    org = ["1" if w in ORG_WORDS or low.endswith(ORG_ENDINGS) else "0"
           for w, low in zip(words, lows, strict=True)]
    n = len(words)
    feats: list[list[str]] = []
    for i, w in enumerate(words):
        low = lows[i]
        de, en, _ = lex.get(low, NO_LEX)
        bos = i == 0 or words[i - 1] in SENT_END or (
            words[i - 1] in QUOTES and (i == 1 or words[i - 2] in SENT_END))
        f = [
            "b", "w=" + w, "l=" + low, "s2=" + low[-2:], "s3=" + low[-3:], "s4=" + low[-4:],
            "p3=" + low[:3], "sh=" + shapes[i], "g=" + gaz[i], f"bos={bos:d}",
            f"len={min(len(w), 12)}", "zd=" + de, "ze=" + en, f"zc={de}{w[:1].isupper():d}",
            "gn=" + nouns[i], "oc=" + org[i],
        ]
        if "-" in w:
            f.append("hy=" + w.rsplit("-", 1)[-1].lower()[-5:])
            f.append("hy0=" + shapes[i].split("-", 1)[0])
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f += [f"{d}:l={lows[j]}", f"{d}:sh={shapes[j]}", f"{d}:g={gaz[j]}",
                      f"{d}:oc={org[j]}"]
                if d in (-1, 1):
                    f += [f"{d}:s3={lows[j][-3:]}", f"{d}:gn={nouns[j]}"]
            else:
                f.append(f"{d}:pad")
        if i:
            f.append("bi-=" + lows[i - 1] + "|" + low)
        if i + 1 < n:
            f.append("bi+=" + low + "|" + lows[i + 1])
        feats.append(f)
    return feats


@lru_cache(maxsize=4)
def tagger(model: str = "ner-de") -> object:
    """The CRF, loaded once per process (a few MB, ~50 ms)."""
    import pycrfsuite  # deferred: only stages that tag need it

    path = resources.files("storyline").joinpath(f"models/{model}/model.crfsuite")
    crf = pycrfsuite.Tagger()
    crf.open(str(path))
    return crf


def tag_words(words: Sequence[str], model: str = "ner-de") -> list[str]:
    """BIO labels for one sentence of tokens (PER/LOC/ORG/MISC)."""
    if not words:
        return []
    return list(tagger(model).tag(token_features(words)))  # type: ignore[attr-defined]


def bio_spans(labels: Sequence[str]) -> list[Span]:
    """(first, last+1, type) token runs; a stray I- opens a span, as conlleval does."""
    out: list[Span] = []
    for i, label in enumerate(labels):
        kind = label[2:]
        if label.startswith("B-") or (label.startswith("I-") and (
                not out or out[-1][1] != i or out[-1][2] != kind)):
            out.append((i, i + 1, kind))
        elif label.startswith("I-"):
            out[-1] = (out[-1][0], i + 1, kind)
    return out


def extract(text: str, lang: str = "de", model: str = "ner-de") -> list[Mention]:
    """Mentions in `text`, in order, with roles split off and variants merged."""
    sents = list(sentences(text, tokenize(text)))
    phrases = gazetteer()[0]

    def known(name: str) -> bool:  # a place or organisation of the gazetteer
        tags = phrases.get(tuple(name.split(" ")), "")
        return "LOC" in tags or "ORG" in tags

    if lang == "en":
        return names.resolve(text, names.english(text, sents, phrases), known)
    tagged = [(sent, bio_spans(tag_words([text[a:b] for a, b in sent], model)))
              for sent in sents]
    mentions = [Mention(text[sent[i][0]:sent[j - 1][1]], kind, sent[i][0], sent[j - 1][1])
                for sent, found in tagged for i, j, kind in found]
    return names.resolve(text, propagate(text, tagged, mentions), known)


def propagate(text: str, tagged: list[tuple[list[tuple[int, int]], list[Span]]],
              mentions: list[Mention]) -> list[Mention]:
    """Tag the article's other occurrences of a name the CRF found once, and the surname
    of a person alone ("Kerry" in a headline), with the type it got most in the article."""
    votes: dict[tuple[str, ...], Counter[str]] = {}
    lex = lexicon()
    for m in mentions:
        key = tuple(TOKEN_RE.findall(m.text))
        if len(m.text) > 3 and m.text[0].isupper():
            votes.setdefault(key, Counter())[m.type] += 1
        surname = key[-1:]
        if m.type == "PER" and len(key) > 1 and len(key[-1]) > 3 and key[-1][0].isupper() \
                and lex.get(key[-1], NO_LEX)[2] != "N":  # not a common noun ("Wolf")
            votes.setdefault(surname, Counter())["PER"] += 1
    if not votes:
        return mentions
    longest = max(len(k) for k in votes)
    out = list(mentions)
    for sent, found in tagged:
        taken = {t for i, j, _ in found for t in range(i, j)}
        words = [text[a:b] for a, b in sent]
        for i in range(len(words)):
            for n in range(min(longest, len(words) - i), 0, -1):
                key = tuple(words[i:i + n])
                if key in votes and taken.isdisjoint(range(i, i + n)):
                    start, end = sent[i][0], sent[i + n - 1][1]
                    kind = votes[key].most_common(1)[0][0]
                    out.append(Mention(text[start:end], kind, start, end))
                    taken.update(range(i, i + n))
                    break
    return sorted(out, key=lambda m: m.start)


def run(article: Article, settings: Settings) -> Article:
    model = str(settings.section("entities").get("model", "ner-de"))
    article.entities = extract(article.text or "", article.lang, model) if article.text else []
    return article
