"""The NER CRF's weights read into numpy, and Viterbi over all sentences of an article at once.

Why not crfsuite's own tagger: it receives every token's ~40 feature strings, converts and
looks each one up, for every token of every article. Here the weights of a word's own
features are summed once per distinct word and cached, and Viterbi runs for all sentences of
an article together. The model file is the trained crfsuite model itself (nothing retrained,
nothing stored twice); the tags are bit-for-bit those of `pycrfsuite.Tagger.tag`, because
every score is the same sum of the same doubles in crfsuite's order (`crf1dt_state_score`:
the item's attributes in order, starting from 0.0) and Viterbi breaks ties as crfsuite does
(the first best label wins). tests/stages/entities/test_crf.py checks this against crfsuite.

The binary layout read here is crfsuite's `crf1d_model.c` (header, FEAT chunk of 20-byte
features) and `cqdb.c` (the attribute and label dictionaries, read by their id -> key array).
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import groupby

import numpy as np

from storyline.stages.entities.features import (
    OFFSETS,
    QUOTES,
    SENT_END,
    cap_runs,
    gaz_candidate,
    gaz_tags,
    gazetteer,
    word_features,
)

FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
STATE, TRANSITION = 0, 1
CTX = 8  # context features per neighbour: 4 at +-2, 8 at +-1 (the rest point at ZERO)
COLUMNS = 3 + len(OFFSETS) * (CTX + 1) + 2  # g, bos, ru, per offset (ctx..., g), bi-, bi+
WORD_CACHE = 1 << 16


def _cqdb_keys(buf: bytes, offset: int) -> list[str]:
    """Keys of a CQDB chunk in id order (its backward array holds each record's offset)."""
    if buf[offset:offset + 4] != b"CQDB":
        raise ValueError("not a CQDB chunk")
    bwd_size, bwd_offset = struct.unpack_from("<II", buf, offset + 16)
    starts = np.frombuffer(buf, "<u4", bwd_size, offset + bwd_offset)
    keys = []
    for start in starts.tolist():
        rec = offset + start  # record: id, key size (with its NUL), key bytes
        size = int.from_bytes(buf[rec + 4:rec + 8], "little")
        keys.append(buf[rec + 8:rec + 7 + size].decode("utf-8"))
    return keys


@dataclass
class Crf:
    labels: list[str]
    attrs: dict[str, int]  # attribute -> row of `weights`; unknown ones use `zero`
    weights: np.ndarray  # (attributes + 1, labels); the last row is all 0.0
    trans: np.ndarray  # trans[i, j]: weight of label i followed by j
    zero: int = field(init=False)

    bi_first: set[str] = field(init=False)
    bi_second: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.zero = len(self.weights) - 1
        self.bi_first, self.bi_second = set(), set()
        for attr in self.attrs:
            if attr.startswith(("bi-=", "bi+=")):  # "bi-=" + low + "|" + low; a word may
                pair = attr[4:]  # be "|" itself, so keep every split (a superset is safe)
                for at in (i for i, ch in enumerate(pair) if ch == "|"):
                    self.bi_first.add(pair[:at])
                    self.bi_second.add(pair[at + 1:])

    def row(self, attr: str) -> int:
        return self.attrs.get(attr, self.zero)


def read_model(data: bytes) -> Crf:
    """A crfsuite CRF1d model file (magic 'lCRF', type 'FOMC') as numpy arrays."""
    if data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        raise ValueError("not a crfsuite CRF1d model")
    _, n_labels, n_attrs, off_feat, off_labels, off_attrs = struct.unpack_from("<6I", data, 16)
    if data[off_feat:off_feat + 4] != b"FEAT":
        raise ValueError("no feature chunk")
    n_feat = struct.unpack_from("<I", data, off_feat + 8)[0]
    feats = np.frombuffer(data, FEATURE, n_feat, off_feat + 12)
    weights = np.zeros((n_attrs + 1, n_labels), dtype=np.float64)
    trans = np.zeros((n_labels, n_labels), dtype=np.float64)
    state = feats[feats["type"] == STATE]
    weights[state["src"], state["dst"]] = state["weight"]
    moves = feats[feats["type"] == TRANSITION]
    trans[moves["src"], moves["dst"]] = moves["weight"]
    names = _cqdb_keys(data, off_attrs)
    return Crf(_cqdb_keys(data, off_labels), {a: i for i, a in enumerate(names)}, weights,
               trans)


@lru_cache(maxsize=4)
def model(name: str = "ner-de") -> Crf:
    path = resources.files("storyline").joinpath(f"models/{name}/model.crfsuite")
    return read_model(path.read_bytes())


class Words:
    """Per distinct word: its own features summed in item order from 0.0 (the start of
    crfsuite's sum) and the rows of its features as a neighbour, one line of CTX per offset.
    Kept in arrays that grow, so an article's rows are one fancy index away. Emptied when
    WORD_CACHE words are in, so memory stays bounded; results never depend on it."""

    def __init__(self, crf: Crf) -> None:
        self.crf = crf
        # trained with `entities.english`'s statistics: then its features are computed
        self.english = any(attr.startswith("cs=") for attr in crf.attrs)
        self.index: dict[str, int] = {}
        self.own = np.zeros((1024, crf.weights.shape[1]))
        self.ctx = np.zeros((1024, len(OFFSETS), CTX), dtype=np.intp)
        self.bi_first = np.zeros(1024, dtype=bool)  # may begin a bigram feature (lowercased)
        self.bi_second = np.zeros(1024, dtype=bool)  # may end one
        self.gaz = np.zeros(1024, dtype=bool)  # a `gaz_candidate`

    def ids(self, words: Sequence[str]) -> np.ndarray:
        get = self.index.get
        found = [get(w, -1) for w in words]
        if -1 in found:
            if len(self.index) + len(words) > WORD_CACHE:
                self.index.clear()
                found = [-1] * len(words)
            found = [i if i >= 0 else self._add(w) for w, i in zip(words, found, strict=True)]
        return np.array(found, dtype=np.intp)

    def _add(self, w: str) -> int:
        i = self.index.get(w)
        if i is not None:  # twice in this batch
            return i
        i = self.index[w] = len(self.index)
        if i == len(self.own):
            self.own = np.concatenate([self.own, np.zeros_like(self.own)])
            self.ctx = np.concatenate([self.ctx, np.zeros_like(self.ctx)])
            self.bi_first = np.concatenate([self.bi_first, np.zeros_like(self.bi_first)])
            self.bi_second = np.concatenate([self.bi_second, np.zeros_like(self.bi_second)])
            self.gaz = np.concatenate([self.gaz, np.zeros_like(self.gaz)])
        crf, (own, ctx) = self.crf, word_features(w, self.english)
        total = np.zeros(crf.weights.shape[1])
        for attr in own:
            total = total + crf.weights[crf.row(attr)]
        self.own[i] = total
        low = w.lower()
        self.bi_first[i], self.bi_second[i] = low in crf.bi_first, low in crf.bi_second
        self.gaz[i] = gaz_candidate(w, gazetteer())
        self.ctx[i] = crf.zero
        for k, feats in enumerate(ctx):
            self.ctx[i, k, :len(feats)] = [crf.row(a) for a in feats]
        return i


@lru_cache(maxsize=4)
def words_of(name: str) -> Words:
    return Words(model(name))


@lru_cache(maxsize=256)
def _gaz(name: str, tag: str) -> tuple[int, tuple[int, ...]]:
    """Rows of 'g=TAG' and of '{d}:g=TAG' for each offset d."""
    crf = model(name)
    return crf.row("g=" + tag), tuple(crf.row(f"{d}:g={tag}") for d in OFFSETS)


def _bos(words: Sequence[str], first: np.ndarray) -> np.ndarray:
    """Whether each token opens a sentence ('bos=1'), as `token_features` decides it:
    first of its sentence, after an end mark, or after a quote that follows one."""
    n = len(words)
    end = np.fromiter((w in SENT_END for w in words), dtype=bool, count=n)
    quote = np.fromiter((w in QUOTES for w in words), dtype=bool, count=n)
    at = np.arange(n)
    bos = at == first
    bos[1:] |= end[:-1]
    second = at[2:] == first[2:] + 1  # the quote is its sentence's first token
    bos[2:] |= quote[1:-1] & (second | end[:-2])
    bos[1:2] |= quote[0:1]
    return bos


def _gaz_tags(sentences: Sequence[Sequence[str]], starts: list[int],
              candidates: list[int]) -> Iterator[tuple[int, str]]:
    """(token, tag) of the tokens `gaz_tags` tags; only sentences with a candidate are run."""
    gaz = gazetteer()
    for k, group in groupby(candidates, key=lambda i: bisect_right(starts, i) - 1):
        start = starts[k]
        tags = gaz_tags(sentences[k], gaz, [i - start for i in group])
        yield from ((start + i, tag) for i, tag in enumerate(tags) if tag)


@lru_cache(maxsize=16)
def _knows(name: str, prefix: str) -> bool:
    return any(attr.startswith(prefix) for attr in model(name).attrs)


def _runs(sentences: Sequence[Sequence[str]], name: str) -> list[int]:
    """Rows of each token's 'ru=' feature (`features.cap_runs`); all ZERO at once for a model
    trained before that feature existed (no weight to find, so no runs to compute)."""
    get, zero = model(name).attrs.get, model(name).zero
    if not _knows(name, "ru="):
        return [zero] * sum(map(len, sentences))
    rows: dict[str, int] = {}
    out = []
    for sent in sentences:
        for tag in cap_runs(sent):
            row = rows.get(tag)
            if row is None:
                row = rows[tag] = get("ru=" + tag, zero)
            out.append(row)
    return out


def _scores(sentences: Sequence[Sequence[str]], name: str) -> np.ndarray:
    """State scores (tokens, labels) of all tokens of all sentences, in order: the sum of
    the weights of the features `features.token_features` lists, in its order."""
    crf = model(name)
    words = [w for sent in sentences for w in sent]
    n = len(words)
    table = words_of(name)
    ids = table.ids(words)
    first = np.repeat(np.cumsum([0] + [len(s) for s in sentences[:-1]]),
                      [len(s) for s in sentences])  # index of each token's sentence start
    last = first + np.repeat([len(s) for s in sentences], [len(s) for s in sentences])
    ctx = table.ctx[ids]
    at = np.arange(n)
    cols = np.full((n, COLUMNS), crf.zero, dtype=np.intp)
    gctx = np.empty((n, len(OFFSETS)), dtype=np.intp)
    cols[:, 0], gctx[:] = _gaz(name, "")
    starts = first[np.flatnonzero(at == first)].tolist()
    for i, tag in _gaz_tags(sentences, starts, np.flatnonzero(table.gaz[ids]).tolist()):
        cols[i, 0], gctx[i] = _gaz(name, tag)
    bos = _bos(words, first)
    cols[:, 1] = np.where(bos, crf.row("bos=1"), crf.row("bos=0"))
    cols[:, 2] = _runs(sentences, name)
    for k, d in enumerate(OFFSETS):
        c = 3 + k * (CTX + 1)
        j = at + d
        ok = (j >= first) & (j < last)
        j = np.clip(j, 0, n - 1)
        cols[:, c:c + CTX] = np.where(ok[:, None], ctx[j, k], crf.zero)
        cols[:, c] = np.where(ok, cols[:, c], crf.row(f"{d}:pad"))
        cols[:, c + CTX] = np.where(ok, gctx[j, k], crf.zero)
    # bigram features exist for few pairs: look up only pairs of two words that occur in some
    pairs = np.flatnonzero((at[1:] != first[1:]) & table.bi_first[ids[:-1]]
                           & table.bi_second[ids[1:]]).tolist()
    get, zero = crf.attrs.get, crf.zero
    for i in pairs:
        pair = words[i].lower() + "|" + words[i + 1].lower()
        cols[i + 1, -2] = get("bi-=" + pair, zero)
        cols[i, -1] = get("bi+=" + pair, zero)
    scores = table.own[ids]
    weights = crf.weights[cols]  # (n, COLUMNS, labels)
    for c in range(COLUMNS):  # column by column: the order of crfsuite's additions
        scores += weights[:, c]
    return scores


def viterbi(crf: Crf, scores: np.ndarray, lengths: Sequence[int]) -> list[list[int]]:
    """Best label ids of each sentence (its `lengths[k]` rows of `scores`, one after the
    other). All sentences run together, longest first, so those still running are a prefix.
    Ties go to the lower label id, as in crfsuite (its strict `<` keeps the first maximum)."""
    order = sorted(range(len(lengths)), key=lambda k: -lengths[k])
    size = np.array([lengths[k] for k in order])
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))[order]
    longest, n_labels = int(size[0]), crf.trans.shape[0]
    steps = np.arange(longest)
    running = np.searchsorted(-size, -steps, side="left").tolist()  # sentences longer than t
    # state[t, b]: the scores of sentence b's token t (rows past its end are never read)
    at = np.minimum(offsets[None, :] + steps[:, None], len(scores) - 1)
    state = scores[at]
    into = crf.trans.T  # into[j, i]: from label i to j
    alpha = state[0].copy()
    back = np.zeros((longest, len(order), n_labels), dtype=np.intp)
    rows = np.arange(len(order))[:, None]
    firsts = np.arange(n_labels) * n_labels  # where row j starts in a flattened [j, i]
    for t in range(1, longest):
        a = running[t]
        cand = alpha[:a, None, :] + into  # [b, j, i]
        best = back[t, :a] = cand.argmax(axis=2)
        # the maximum itself, read at its index: faster than max() over 9 values
        alpha[:a] = cand.reshape(a, -1)[rows[:a], firsts + best] + state[t, :a]
    out: list[list[int]] = [[] for _ in order]
    last = alpha.argmax(axis=1).tolist()
    for row, k in enumerate(order):  # back along the stored links, in plain Python
        links = back[1:lengths[k], row].tolist()
        path = [last[row]]
        for link in reversed(links):
            path.append(link[path[-1]])
        out[k] = path[::-1]
    return out


def tag_sentences(sentences: Sequence[Sequence[str]], name: str = "ner-de") -> list[list[str]]:
    """BIO labels of each sentence, as crfsuite tags them one by one."""
    crf = model(name)
    full = [s for s in sentences if s]
    if not full:
        return [[] for _ in sentences]
    paths = iter(viterbi(crf, _scores(full, name), [len(s) for s in full]))
    return [[crf.labels[i] for i in next(paths)] if words else [] for words in sentences]
