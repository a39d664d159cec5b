"""GermEval 2014 NER scorer: strict outer-span precision/recall/F1 per class and micro.

`*deriv` / `*part` tags count as O (storyline tags names, not "deutsche" or "EU-weit");
OTH is reported as MISC. Scores are given for all sentences and for the news sentences
alone (those whose `#` header URL is not Wikipedia), since storyline reads news.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLASSES: tuple[str, ...] = ("PER", "LOC", "ORG", "MISC")
Tagger = Callable[[Sequence[str]], list[str]]


@dataclass
class Sentence:
    url: str
    words: list[str]
    tags: list[str]  # BIO over PER/LOC/ORG/MISC, deriv/part already O

    @property
    def news(self) -> bool:
        return "wikipedia.org" not in self.url


def map_tag(tag: str) -> str:
    """'B-LOCderiv' -> 'O', 'I-OTH' -> 'I-MISC'."""
    if tag == "O" or tag.endswith(("deriv", "part")) or "-" not in tag:
        return "O"
    prefix, kind = tag.split("-", 1)
    return f"{prefix}-{'MISC' if kind == 'OTH' else kind}"


def read_germeval(path: Path) -> list[Sentence]:
    """GermEval TSV: `#\\turl\\t[date]` header, `index\\ttoken\\touter\\tinner`, blank line."""
    out: list[Sentence] = []
    current: Sentence | None = None
    for line in path.read_text("utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("#") and (current is None or current.words):
            if current is not None:
                out.append(current)
            current = Sentence(cols[1] if len(cols) > 1 else "", [], [])
        elif len(cols) >= 3 and cols[0].isdigit():
            if current is None:
                current = Sentence("", [], [])
            current.words.append(cols[1])
            current.tags.append(map_tag(cols[2]))
    if current is not None and current.words:
        out.append(current)
    return out


def spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    from storyline.stages.entities import bio_spans

    return set(bio_spans(tags))


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "pred": n_pred, "gold": n_gold}


def evaluate(pairs: Iterable[tuple[Sequence[str], Sequence[str]]],
             classes: Sequence[str] = CLASSES) -> dict[str, Any]:
    """Strict span match over (gold tags, predicted tags) pairs, per class and micro over
    `classes` (a gold set without MISC is scored on PER/LOC/ORG alone)."""
    tp: Counter[str] = Counter()
    pred: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    for gold_tags, pred_tags in pairs:
        g, p = spans(gold_tags), spans(pred_tags)
        for kind in classes:
            gk = {s for s in g if s[2] == kind}
            pk = {s for s in p if s[2] == kind}
            tp[kind] += len(gk & pk)
            pred[kind] += len(pk)
            gold[kind] += len(gk)
    result = {k: prf(tp[k], pred[k], gold[k]) for k in classes}
    result["micro"] = prf(sum(tp.values()), sum(pred.values()), sum(gold.values()))
    return result


def default_tagger(model: str) -> Tagger:
    from storyline.stages.entities import tag_words

    return lambda words: tag_words(words, model)


def read_gold(gold: Path) -> tuple[list[Sentence], tuple[str, ...], str]:
    """Sentences, scored classes and language of a gold file: GermEval TSV (German, four
    classes), a UNER `.iob2` or GUM `.conllu` file (English, PER/LOC/ORG), a MobIE
    `.conll2003` file (German, PER/LOC/ORG)."""
    from storyline.stages.entities import corpora

    if gold.suffix == ".iob2":
        return corpora.read_uner(gold), ("PER", "LOC", "ORG"), "en"
    if gold.suffix == ".conllu":  # a GUM Wikinews document, names derived (corpora.read_gum)
        return corpora.read_gum(gold), ("PER", "LOC", "ORG"), "en"
    if gold.suffix == ".conll2003":  # MobIE (German traffic news): a set no model trains on
        return corpora.read_mobie(gold), ("PER", "LOC", "ORG"), "de"
    return read_germeval(gold), CLASSES, "de"


def score(gold: Path, **options: Any) -> dict[str, Any]:
    """Options: `model` (folder under storyline/models, default ner-LANG of the gold),
    `tagger` (callable words -> BIO tags, overrides the model), `limit` (first N sentences)."""
    sents, classes, lang = read_gold(Path(gold))
    if options.get("limit"):
        sents = sents[: int(options["limit"])]
    model = str(options.get("model") or f"ner-{lang}")
    tag: Tagger = options.get("tagger") or default_tagger(model)
    predicted = [tag(s.words) for s in sents]
    both = list(zip(sents, predicted, strict=True))
    return {
        "gold": str(gold),
        "sentences": len(sents),
        "news_sentences": sum(s.news for s in sents),
        "all": evaluate(((s.tags, p) for s, p in both), classes),
        "news": evaluate(((s.tags, p) for s, p in both if s.news), classes),
    }


def report(result: dict[str, Any]) -> str:
    lines = [f"{result['gold']}: {result['sentences']} sentences "
             f"({result['news_sentences']} news)"]
    for subset in ("all", "news"):
        lines.append(f"[{subset}]  {'class':6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
        for kind in result[subset]:
            m = result[subset][kind]
            lines.append(f"        {kind:6} {m['precision']:6.3f} {m['recall']:6.3f} "
                         f"{m['f1']:6.3f} {m['gold']:6d}")
    return "\n".join(lines)
