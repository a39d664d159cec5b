"""Score the quotes stage on SpkAtt-2023 Task 2 (German Wikinews), simplified subtask 2.

Gold: top-level annotations (`IsNested` false), each a MESSAGE token set and a SOURCE token set.
The gold tokens are rebuilt into running text (a light detokeniser, sentences joined by one
space, so the stage must find sentence ends itself); the stage's character spans are mapped
back to the tokens they touch.

Matching (our own version of the organisers' idea): per document, predicted and gold messages
are paired by linear-sum assignment maximising token overlap; pairs without overlap stay
unpaired. Two ways to count, both reported:
- `tokens` (default, proportional credit): message TP = overlapping tokens of paired messages,
  FP/FN = the rest of predicted/gold message tokens (unpaired ones count fully). Source the
  same over the sources of paired messages, unpaired sources count fully. Joint sums both.
- `spans` (strict): a pair counts when its token-overlap F1 >= 0.5; a source is correct when
  its message pair counts and the source token-overlap F1 >= 0.5; joint needs both (or both
  sources empty).
The source we score is the phrase next to the cue as written (`Statement.source_*`, e.g. "Er"),
which is what the gold marks; the resolved speaker name is not scored here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from storyline.model import Article
from storyline.settings import Settings
from storyline.settings import load as load_settings
from storyline.stages import ORDER, run_all
from storyline.stages.quotes import extract

# stages between clean and quotes in pipeline order (language, pubdate, entities)
_BEFORE_QUOTES = ORDER[ORDER.index("clean") + 1:ORDER.index("quotes")]

_NO_SPACE_BEFORE = frozenset(",.:;!?)]“”«%")
_NO_SPACE_AFTER = frozenset("„([»")


@dataclass
class Doc:
    text: str
    spans: list[tuple[int, int]]  # character span of every token, in document order
    gold: list[tuple[frozenset[int], frozenset[int]]]  # (message tokens, source tokens)


def detokenize(sentences: list[list[str]]) -> tuple[str, list[tuple[int, int]]]:
    """Running text and the character span of every token."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    glue = True  # no space before the next token
    straight_open = False
    for sent in sentences:
        for tok in sent:
            if tok == '"':
                straight_open = not straight_open
                closing = not straight_open
            else:
                closing = tok in _NO_SPACE_BEFORE
            if not glue and not closing:
                parts.append(" ")
                pos += 1
            parts.append(tok)
            spans.append((pos, pos + len(tok)))
            pos += len(tok)
            glue = tok in _NO_SPACE_AFTER or (tok == '"' and straight_open)
    return "".join(parts), spans


def load(path: Path) -> list[Doc]:
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    docs: list[Doc] = []
    for f in files:
        data = json.loads(f.read_text("utf-8"))
        sents = [s["Tokens"] for s in data["Sentences"]]
        offset: dict[int, int] = {}
        n = 0
        for s in data["Sentences"]:
            offset[int(s["SentenceId"])] = n
            n += len(s["Tokens"])
        text, spans = detokenize(sents)

        def ids(refs: Iterable[str], offset: dict[int, int] = offset) -> frozenset[int]:
            return frozenset(offset[int(r.split(":")[0])] + int(r.split(":")[1]) for r in refs)

        gold = [(ids(a["Message"]), ids(a.get("Source", [])))
                for a in data["Annotations"] if not a.get("IsNested") and a["Message"]]
        docs.append(Doc(text, spans, gold))
    return docs


def _tokens(spans: list[tuple[int, int]], start: int | None, end: int | None) -> frozenset[int]:
    if start is None or end is None:
        return frozenset()
    return frozenset(i for i, (s, e) in enumerate(spans) if s < end and start < e)


def predict(doc: Doc, settings: Settings | None = None
            ) -> list[tuple[frozenset[int], frozenset[int]]]:
    """The stage as the pipeline runs it: the stages before quotes that read clean text
    (language, entities) run first; extract/clean are skipped because the gold text is
    already clean and the scored offsets must stay those of the gold tokens."""
    settings = settings or load_settings()
    art = Article(source="spkatt", raw_text=doc.text, text=doc.text)
    art = run_all(art, settings, names=_BEFORE_QUOTES)
    return [(_tokens(doc.spans, s.quote.start, s.quote.end),
             _tokens(doc.spans, s.source_start, s.source_end))
            for s in extract(art.text, art.entities, lang=art.lang)]


def _f1(a: frozenset[int], b: frozenset[int]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def _count(pred: list[tuple[frozenset[int], frozenset[int]]],
           gold: list[tuple[frozenset[int], frozenset[int]]], mode: str,
           c: dict[str, list[float]]) -> None:
    """Add tp/fp/fn for message, source and joint of one document into `c`."""
    pairs: list[tuple[int, int]] = []
    if pred and gold:
        overlap = np.array([[len(p[0] & g[0]) for g in gold] for p in pred], dtype=float)
        rows, cols = linear_sum_assignment(overlap, maximize=True)
        pairs = [(r, k) for r, k in zip(rows, cols, strict=True) if overlap[r, k] > 0]
    if mode == "tokens":
        for level, i in (("message", 0), ("source", 1)):
            tp = sum(len(pred[r][i] & gold[k][i]) for r, k in pairs)
            c[level][0] += tp
            c[level][1] += sum(len(p[i]) for p in pred) - tp
            c[level][2] += sum(len(g[i]) for g in gold) - tp
        return
    ok_msg = [(r, k) for r, k in pairs if _f1(pred[r][0], gold[k][0]) >= 0.5]
    ok_src = [(r, k) for r, k in ok_msg if pred[r][1] and gold[k][1]
              and _f1(pred[r][1], gold[k][1]) >= 0.5]
    ok_joint = len(ok_src) + sum(1 for r, k in ok_msg if not pred[r][1] and not gold[k][1])
    for level, tp, n_pred, n_gold in (
        ("message", len(ok_msg), len(pred), len(gold)),
        ("source", len(ok_src), sum(1 for p in pred if p[1]), sum(1 for g in gold if g[1])),
        ("joint", ok_joint, len(pred), len(gold)),
    ):
        c[level][0] += tp
        c[level][1] += n_pred - tp
        c[level][2] += n_gold - tp


def _prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(gold: Path, **options: Any) -> dict[str, Any]:
    """Message / source / joint precision, recall, F1 over a folder of SpkAtt JSON files.

    Options: `mode` "tokens" (default) or "spans"; `limit` to score the first n documents.
    """
    mode = str(options.get("mode", "tokens"))
    if mode not in {"tokens", "spans"}:
        raise ValueError(f"mode must be 'tokens' or 'spans', not {mode!r}")
    docs = load(Path(gold))
    if options.get("limit"):
        docs = docs[: int(options["limit"])]
    c: dict[str, list[float]] = {k: [0.0, 0.0, 0.0] for k in ("message", "source", "joint")}
    n_pred = n_gold = 0
    settings = load_settings()
    for doc in docs:
        pred = predict(doc, settings)
        n_pred += len(pred)
        n_gold += len(doc.gold)
        _count(pred, doc.gold, mode, c)
    if mode == "tokens":
        c["joint"] = [c["message"][i] + c["source"][i] for i in range(3)]
    result: dict[str, Any] = {k: _prf(*v) for k, v in c.items()}
    result.update(mode=mode, documents=len(docs), predicted=n_pred, gold=n_gold)
    return result


def report(result: dict[str, Any]) -> str:
    lines = [f"quotes ({result['mode']} matching): {result['documents']} documents, "
             f"{result['predicted']} predicted / {result['gold']} gold messages",
             f"{'level':<10}{'precision':>10}{'recall':>10}{'f1':>10}"]
    for level in ("message", "source", "joint"):
        r = result[level]
        lines.append(f"{level:<10}{r['precision']:>10.3f}{r['recall']:>10.3f}{r['f1']:>10.3f}")
    return "\n".join(lines)
