"""Named entities (PER, ORG, LOC, MISC) with exact offsets into `Article.text`.

Text is tagged by a linear-chain CRF (python-crfsuite) that we train ourselves
(scripts/train_ner.py): German on GermEval 2014 test; English on UNER English-EWT, WikiGold,
the Broad Twitter Corpus and GUM Wikinews. A CRF with gazetteer, shape, word-cluster
and context features learns far more from these few hundred thousand tokens than a neural
tagger would at this speed. Articles the language stage calls English get the English model,
all others the German one. `crf` applies a trained model with numpy, all sentences of an
article at once: the same tags as crfsuite, in half the time. The features and word lists live
in `features`; re-exported here for the trainer. Name variants, genitives and roles are
resolved in `names`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources

from storyline.model import Article, Mention
from storyline.settings import Settings
from storyline.stages.entities import names
from storyline.stages.entities.crf import tag_sentences
from storyline.stages.entities.features import (
    NO_LEX,
    QUOTES,
    SENT_END,
    gazetteer,
    lexicon,
    token_features,
)

__all__ = ["SETS", "bio_spans", "extract", "gazetteer", "lexicon", "run", "tag_words",
           "token_features", "tokenize"]

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
MAX_SENT = 120  # long unpunctuated runs are cut so the CRF never sees a huge sequence
Span = tuple[int, int, str]


# English possessive and negation clitics are tokens of their own, as in the English corpora.
APOSTROPHE = re.compile(r"['’]")
EN_CLITIC = re.compile(r"(?<=\w)(?:['’]s|n['’]t|['’](?:re|ve|ll|d|m))$", re.IGNORECASE)


def tokenize(text: str, lang: str = "de") -> list[tuple[int, int]]:
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    if lang != "en":
        return spans
    marks = [m.start() for m in APOSTROPHE.finditer(text)]
    if not marks:
        return spans
    out = []
    for a, b in spans:
        k = bisect_left(marks, a)  # only words with an apostrophe inside can have a clitic
        clitic = EN_CLITIC.search(text, a, b) if k < len(marks) and marks[k] < b else None
        if clitic and clitic.start() > a:
            out += [(a, clitic.start()), (clitic.start(), b)]
        else:
            out.append((a, b))
    return out


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


@lru_cache(maxsize=4)
def tagger(model: str = "ner-de") -> object:
    """crfsuite's own tagger: the reference `crf` is checked against (tests)."""
    import pycrfsuite  # deferred: only stages that tag need it

    path = resources.files("storyline").joinpath(f"models/{model}/model.crfsuite")
    crf = pycrfsuite.Tagger()
    crf.open(str(path))
    return crf


def tag_words(words: Sequence[str], model: str = "ner-de") -> list[str]:
    """BIO labels for one sentence of tokens (PER/LOC/ORG/MISC)."""
    return tag_sentences([words], model)[0]


def bio_spans(labels: Sequence[str]) -> list[Span]:
    """(first, last+1, type) token runs; a stray I- opens a span, as conlleval does."""
    out: list[Span] = []
    for i, label in enumerate(labels):
        if label == "O":
            continue
        kind = label[2:]
        if label.startswith("B-") or (label.startswith("I-") and (
                not out or out[-1][1] != i or out[-1][2] != kind)):
            out.append((i, i + 1, kind))
        elif label.startswith("I-"):
            out[-1] = (out[-1][0], i + 1, kind)
    return out


MODELS = {"de": "ner-de", "en": "ner-en"}  # what the language stage says -> model folder


def extract(text: str, lang: str = "de", model: str | None = None) -> list[Mention]:
    """Mentions in `text`, in order, with roles split off and variants merged. English text
    gets the English CRF, any other the German one (`model` overrides)."""
    model = model or MODELS.get(lang, MODELS["de"])
    sents = list(sentences(text, tokenize(text, lang)))
    phrases = gazetteer()[0]

    def listed(name: str) -> str:  # the gazetteer's tags of a name ("LOC|FIRST")
        return phrases.get(tuple(name.split(" ")), "")

    def known(name: str) -> bool:  # a place or organisation of the gazetteer
        tags = listed(name)
        return "LOC" in tags or "ORG" in tags

    labels = tag_sentences([[text[a:b] for a, b in sent] for sent in sents], model)
    tagged = [(sent, bio_spans(tags)) for sent, tags in zip(sents, labels, strict=True)]
    mentions = [Mention(text[sent[i][0]:sent[j - 1][1]], kind, sent[i][0], sent[j - 1][1])
                for sent, found in tagged for i, j, kind in found]
    if lang != "en":  # German compounds and genitives
        mentions = names.merge_genitive_orgs(text, names.cut_genitive_nouns(text, [
            m for m in mentions if not names.noun_compound(m.text)]))
    return names.resolve(text, propagate(text, tagged, mentions), known, listed)


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
    firsts = {k[0] for k in votes}  # most words start no name: skip them at once
    out = list(mentions)
    for sent, found in tagged:
        words = [text[a:b] for a, b in sent]
        if firsts.isdisjoint(words):
            continue
        taken = {t for i, j, _ in found for t in range(i, j)}
        for i in range(len(words)):
            if words[i] not in firsts:
                continue
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
    opts = settings.section("entities")
    model = str(opts.get("model_en", "ner-en") if article.lang == "en"
                else opts.get("model", "ner-de"))
    article.entities = extract(article.text or "", article.lang, model) if article.text else []
    return article
