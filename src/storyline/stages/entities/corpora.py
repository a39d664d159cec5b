"""Readers of the NER training and evaluation corpora (../shared/gold), to `Sentence`s with
BIO tags over PER/LOC/ORG/MISC: what scripts/train_ner.py trains on and `storyline eval ner`
scores. Each corpus has its own format and tag set, hence one small reader each; the fine
types of the DFKI sets are mapped by `FINE` (which location subtypes count is measured in
scripts/train_ner.py, see its docstring).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

from storyline.eval.ner import Sentence

# DFKI SmartData / MobIE fine types -> ours; street, stop and route are places to a reader,
# but GermEval does not tag most of them, so `fine_map(streets=...)` decides.
FINE = {"person": "PER", "organization": "ORG", "organization-company": "ORG",
        "location": "LOC", "location-city": "LOC"}
STREETS = ("location-street", "location-stop")  # routes ("A7", "IC-Züge") stay O


def german_names_only(sents: list[Sentence]) -> list[Sentence]:
    """GermEval's convention in the DFKI sets: a place written lowercase ("deutschen",
    "beiden Richtungen") is no name, so O; names begin with a capital (or a digit)."""
    from storyline.stages.entities.stage import bio_spans

    out = []
    for s in sents:
        tags = list(s.tags)
        for a, b, kind in bio_spans(tags):
            if kind == "LOC" and s.words[a][:1].islower():
                tags[a:b] = ["O"] * (b - a)
        out.append(Sentence(s.url, s.words, tags))
    return out


def fine_map(streets: bool) -> dict[str, str]:
    return {**FINE, **dict.fromkeys(STREETS, "LOC")} if streets else dict(FINE)


def _bio(kinds: list[str]) -> list[str]:
    """IO (or raw per-token types with '' for outside) to BIO: a new span at each change."""
    out = []
    for i, k in enumerate(kinds):
        out.append("O" if not k else ("I-" if i and kinds[i - 1] == k else "B-") + k)
    return out


def _blocks(path: Path) -> Iterator[list[list[str]]]:
    """Blank-line separated blocks of tab/space split lines."""
    block: list[list[str]] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            if block:
                yield block
            block = []
        else:
            block.append(line.split("\t") if "\t" in line else line.split(" "))
    if block:
        yield block


def _retag(tag: str, mapping: dict[str, str]) -> str:
    """'B-organization-company' -> 'B-ORG' by `mapping`; unknown types -> 'O'."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, kind = tag.split("-", 1)
    mapped = mapping.get(kind) or mapping.get(kind.lower())
    return f"{prefix}-{mapped}" if mapped else "O"


def _fix_bio(tags: list[str]) -> list[str]:
    """A stray I- after O or after another type opens a span (as conlleval reads it)."""
    out: list[str] = []
    for i, t in enumerate(tags):
        if t.startswith("I-") and (i == 0 or out[-1] == "O" or out[-1][2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
    return out


def read_mobie(path: Path, streets: bool = False) -> list[Sentence]:
    mapping = fine_map(streets)
    out = []
    for block in _blocks(path):
        rows = [r for r in block if not r[0].startswith("-DOCSTART-") and len(r) >= 4]
        if rows:
            out.append(Sentence("mobie", [r[0] for r in rows],
                                _fix_bio([_retag(r[3], mapping) for r in rows])))
    return german_names_only(out)


SAME = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}


def read_europeana(path: Path) -> list[Sentence]:
    """One token per line, no sentence breaks: cut after . ! ? before a capital."""
    words: list[str] = []
    tags: list[str] = []
    out = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if line.startswith("# ") or " " not in line:
            continue
        word, tag = line.rsplit(" ", 1)
        if words and words[-1] in (".", "!", "?") and word[:1].isupper() and tag == "O":
            out.append(Sentence("europeana", words, _fix_bio(tags)))
            words, tags = [], []
        words.append(word)
        tags.append(_retag(tag, SAME))
    if words:
        out.append(Sentence("europeana", words, _fix_bio(tags)))
    return out


def read_smartdata(path: Path, streets: bool = False, sources: tuple[str, ...] = (
        "news", "rss", "tweet")) -> list[Sentence]:
    """v1 JSON stream (char offsets): tokenised and split as the entities stage does."""
    from storyline.stages.entities.stage import sentences, tokenize

    mapping = fine_map(streets)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = fh.read()
    dec = json.JSONDecoder()
    pos, out = 0, []
    while True:
        m = re.compile(r"\S").search(raw, pos)
        if not m:
            break
        doc, pos = dec.raw_decode(raw, m.start())
        if doc["refids"]["map"].get("source") not in sources:
            continue
        text = doc["text"]["string"]
        kinds = [""] * len(text)
        for cm in doc["conceptMentions"]["array"]:
            kind = mapping.get(cm["type"])
            a, b = cm["span"]["start"], cm["span"]["end"]
            if kind and all(not k for k in kinds[a:b]):
                kinds[a:b] = [f"{kind}#{a}"] * (b - a)  # the start keeps touching spans apart
        for sent in sentences(text, tokenize(text)):
            marks = [kinds[a] for a, _ in sent]
            tags = _bio(marks)
            out.append(Sentence("smartdata", [text[a:b] for a, b in sent],
                                [t.split("#")[0] for t in tags]))
    return german_names_only(out)


def read_wikigold(path: Path) -> list[Sentence]:
    """IO tags: adjacent same-type names cannot be told apart (they are rare)."""
    out = []
    for block in _blocks(path):
        rows = [r for r in block if r[0] != "-DOCSTART-" and len(r) >= 2]
        if rows:
            kinds = [r[-1][2:] if r[-1] != "O" else "" for r in rows]
            out.append(Sentence("wikigold", [r[0] for r in rows], _bio(kinds)))
    return out


def read_btc(path: Path) -> list[Sentence]:
    out = []
    for block in _blocks(path):
        rows = [r for r in block if len(r) >= 2]
        if rows:
            out.append(Sentence("btc", [r[0] for r in rows],
                                _fix_bio([_retag(r[-1], SAME) for r in rows])))
    return out


# WNUT-17 (emerging entities in tweets, Reddit, YouTube, StackExchange): teams and bands
# ("group") are organisations to UNER; products and works are MISC.
WNUT = {"person": "PER", "location": "LOC", "corporation": "ORG", "group": "ORG",
        "product": "MISC", "creative-work": "MISC"}


def read_wnut(path: Path) -> list[Sentence]:
    out = []
    for block in _blocks(path):
        rows = [r for r in block if len(r) >= 2]
        if rows:
            out.append(Sentence("wnut17", [r[0] for r in rows],
                                _fix_bio([_retag(r[-1], WNUT) for r in rows])))
    return out


def read_uner(path: Path) -> list[Sentence]:
    """UNER iob2: OTH and the stray `B-O` of the 2022 train file are outside."""
    out = []
    for block in _blocks(path):
        rows = [r for r in block if r[0].isdigit() and len(r) >= 3]
        if rows:
            out.append(Sentence("uner", [r[1] for r in rows],
                                _fix_bio([_retag(r[2], SAME) for r in rows])))
    return out


GUM_TYPES = {"person": "PER", "organization": "ORG", "place": "LOC"}
_GUM_OPEN = re.compile(r"\((\d+)-([a-z]+)")
_GUM_CLOSE = re.compile(r"(\d+)\)")
_GUM_ONE = re.compile(r"\(\d+-([a-z]+)[^()]*\)")  # a one-token mention: "(4-place-...)"
_GUM_OPEN_FULL = re.compile(r"\(\d+-[^()]*")


def read_gum(path: Path) -> list[Sentence]:
    """GUM CoNLL-U: person/organization/place mentions trimmed to their proper-noun chain
    (the PROPN tokens ending at the head side of the span), as CoNLL marks names."""
    out = []
    for block in _blocks(path):
        rows = [r for r in block if r[0].isdigit() and len(r) >= 10]
        open_: dict[str, tuple[int, str]] = {}
        spans: list[tuple[int, int, str]] = []
        for i, r in enumerate(rows):
            misc = next((f[7:] for f in r[9].split("|") if f.startswith("Entity=")), "")
            spans += [(i, i + 1, etype) for etype in _GUM_ONE.findall(misc)]
            rest = _GUM_ONE.sub("", misc)
            for eid, etype in _GUM_OPEN.findall(rest):
                open_[eid] = (i, etype)
            for eid in _GUM_CLOSE.findall(_GUM_OPEN_FULL.sub("", rest)):
                if eid in open_:
                    start, etype = open_.pop(eid)
                    spans.append((start, i + 1, etype))
        kinds = [""] * len(rows)
        for start, end, etype in sorted(spans, key=lambda s: s[1] - s[0]):
            name = _gum_name(rows, start, end, kinds)
            kind = GUM_TYPES.get(etype)
            if kind and name and all(not k for k in kinds[name[0]:name[1]]):
                kinds[name[0]:name[1]] = [f"{kind}#{name[0]}"] * (name[1] - name[0])
        tags = [t.split("#")[0] for t in _bio(kinds)]
        if rows:
            out.append(Sentence("gum", [r[1] for r in rows], tags))
    return out


def _gum_name(rows: list[list[str]], start: int, end: int, kinds: list[str]
              ) -> tuple[int, int] | None:
    """The proper-noun run (XPOS NNP/NNPS) around the mention's head, without leading
    titles ("President Donald Trump" -> "Donald Trump"); None when the head is no name."""
    from storyline.stages.entities.names import is_role

    inside = range(start + 1, end + 1)  # CoNLL-U ids are 1-based
    head = next((k for k in range(start, end) if int(rows[k][6] or 0) not in inside), None)
    if head is None or rows[head][4] != "NNP":  # not "Muslims", "Democrats"
        return None
    a, b = head, head + 1
    while a > start and rows[a - 1][4] in ("NNP", "NNPS") and not kinds[a - 1]:
        a -= 1
    while b < end and rows[b][4] in ("NNP", "NNPS") and not kinds[b]:
        b += 1
    while a < b and (is_role(rows[a][1]) or rows[a][1].lower() in {"mr.", "mrs.", "ms."}):
        a += 1
    return (a, b) if a < b else None
