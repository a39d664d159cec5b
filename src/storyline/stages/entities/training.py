"""Training helpers for the NER CRFs (used by scripts/train_ner.py): which gold sets make a
language's training data, mention-replacement augmentation, crfsuite training and k-fold
cross-validation. Training-time only; the stage never imports this module.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from storyline.eval.ner import Sentence, evaluate, read_germeval
from storyline.stages.entities import corpora
from storyline.stages.entities.stage import bio_spans, tagger, token_features


def augment(sents: list[Sentence], copies: int, seed: int = 13
            ) -> list[Sentence]:
    """Mention replacement: copies of the sentences with each name swapped for another of
    its type from the training set, so the CRF learns contexts, not just the names."""
    rng = random.Random(seed)
    pool: dict[str, list[list[str]]] = {}
    for s in sents:
        for a, b, kind in bio_spans(s.tags):
            pool.setdefault(kind, []).append(s.words[a:b])
    out: list[Sentence] = []
    for _ in range(copies):
        for s in sents:
            spans = bio_spans(s.tags)
            if not spans:
                continue
            words: list[str] = []
            tags: list[str] = []
            last = 0
            for a, b, kind in spans:
                new = rng.choice(pool[kind])
                words += s.words[last:a] + new
                tags += s.tags[last:a] + [f"B-{kind}"] + [f"I-{kind}"] * (len(new) - 1)
                last = b
            out.append(Sentence(s.url, words + s.words[last:], tags + s.tags[last:]))
    return out


def case_copies(sents: list[Sentence], copies: int, seed: int = 17) -> list[Sentence]:
    """Copies of the sentences with names, each name lowercased or in capitals at random
    ("burger king", "BREYER"): web text writes names so, and without examples the CRF
    trusts the word shape over the word itself."""
    rng = random.Random(seed)
    out: list[Sentence] = []
    for _ in range(copies):
        for s in sents:
            spans = bio_spans(s.tags)
            if not spans:
                continue
            words = list(s.words)
            for a, b, _kind in spans:
                change = str.lower if rng.random() < 0.5 else str.upper
                words[a:b] = [change(w) for w in words[a:b]]
            out.append(Sentence(s.url, words, s.tags))
    return out


def drop_features(feats: list[list[str]], families: tuple[str, ...]) -> list[list[str]]:
    """Features without the named families ("gn", "zd"), at any offset ("-1:gn=N"): what a
    model is not trained on it never weighs, so the runtime needs no change."""
    if not families:
        return feats
    heads = tuple(f"{fam}=" for fam in families)
    return [[f for f in fs if not f.split(":", 1)[-1].startswith(heads)] for fs in feats]


def train(sents: list[Sentence], params: dict[str, float], path: Path,
          verbose: bool = False, drop: tuple[str, ...] = (), english: bool = False) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    for s in sents:
        trainer.append(drop_features(token_features(s.words, english), drop), s.tags)
    trainer.set_params({**params, "feature.possible_transitions": True})
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    tagger.cache_clear()
    return path


def cross_validate(sents: list[Sentence], params: dict[str, float], copies: int,
                   folds: int = 3) -> list[float]:
    """Micro F1 of each fold of the *training* sentences: how c1/c2/--augment were chosen,
    so GermEval dev stays a report set, never a tuning set."""
    import pycrfsuite

    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            held = [s for i, s in enumerate(sents) if i % folds == k]
            rest = [s for i, s in enumerate(sents) if i % folds != k]
            path = train(rest + augment(rest, copies), params, Path(tmp) / f"{k}.crfsuite")
            crf = pycrfsuite.Tagger()
            crf.open(str(path))
            result = evaluate(
                (s.tags, crf.tag(token_features(s.words))) for s in held)
            scores.append(result["micro"]["f1"])
    return scores


GUM_TEST = {"GUM_news_nasa", "GUM_news_sensitive", "GUM_interview_hill",
            "GUM_interview_libertarian"}  # GUM's official test documents


def training_sets(gold: Path, lang: str, names: str, streets: bool = False,
                  sources: tuple[str, ...] = ("news", "rss", "tweet")
                  ) -> tuple[list[Sentence], list[str]]:
    """The training sentences of one language from the sets named in `names` (GermEval test
    always, for German), and the names of the sets (for meta.json)."""
    sets: dict[str, list[Sentence]] = {}
    if lang == "de":
        sets["germeval2014/NER-de-test"] = read_germeval(
            gold / "germeval2014-ner" / "NER-de-test.tsv")
        if "smartdata" in names:
            for part in ("train", "test"):
                sets[f"smartdata-v1/{part}"] = corpora.read_smartdata(
                    gold / "smartdata-ner-de" / "v1_20180119" / f"{part}.json.gz",
                    streets, sources)
        if "mobie" in names:
            for part in ("train", "dev", "test"):
                sets[f"mobie/{part}"] = corpora.read_mobie(
                    gold / "mobie-ner-de" / f"{part}.conll2003", streets)
        if "europeana" in names:
            for path in sorted((gold / "europeana-ner-de").glob("*.bio")):
                sets[f"europeana/{path.stem}"] = corpora.read_europeana(path)
    else:
        if "wikigold" in names:
            sets["wikigold"] = corpora.read_wikigold(gold / "wikigold-en" / "wikigold.conll.txt")
        if "btc" in names:  # "btcg": only g.conll, the news accounts' tweets
            files = "g.conll" if "btcg" in names else "*.conll"
            for path in sorted((gold / "btc-en-twitter").glob(files)):
                sets[f"btc/{path.stem}"] = corpora.read_btc(path)
        if "wnut" in names:  # train and dev; its test split is left alone
            for part in ("wnut17train.conll", "emerging.dev.conll"):
                sets[f"wnut17/{part}"] = corpora.read_wnut(gold / "wnut17-en" / part)
        if "gum" in names:
            gum = [p for p in sorted((gold / "gum-en-wikinews").glob("*/*.conllu"))
                   if p.stem not in GUM_TEST]  # kept apart: an English news check
            sets["gum-wikinews"] = [s for p in gum for s in corpora.read_gum(p)]
        if "uner" in names:  # CC BY-SA: the model becomes CC BY-SA
            sets["uner-en-ewt/train-2022"] = corpora.read_uner(
                gold / "uner-en-ewt" / "en_ewt-ud-train.2022-12-02_0c7ce0de.iob2")
            sets["uner-en-ewt/dev"] = corpora.read_uner(gold / "uner-en-ewt" / "en_ewt-ud-dev.iob2")
            if "uner2" in names:  # twice: the in-domain set weighs more than the tweets
                sets["uner-en-ewt/again"] = sets["uner-en-ewt/train-2022"] + sets["uner-en-ewt/dev"]
    for set_name, found in sets.items():
        print(f"  {set_name}: {len(found)} sentences")
    return [s for found in sets.values() for s in found], list(sets)


def fill_misc(sents: list[Sentence], model: str) -> list[Sentence]:
    """Sets without MISC (SmartData, MobIE) teach the CRF that names of products, events or
    works are O, which GermEval tags MISC: where a model trained on GermEval finds MISC over
    tokens that are all O in such a set, the MISC span is added."""
    from storyline.stages.entities.crf import tag_sentences

    out = []
    for s, tags in zip(sents, tag_sentences([x.words for x in sents], model), strict=True):
        new = list(s.tags)
        for a, b, kind in bio_spans(tags):
            if kind == "MISC" and all(t == "O" for t in s.tags[a:b]):
                new[a:b] = ["B-MISC"] + ["I-MISC"] * (b - a - 1)
        out.append(Sentence(s.url, s.words, new))
    return out
