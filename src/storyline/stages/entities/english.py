"""English word statistics for the NER CRFs: how often a word is written capitalised rather
than lowercase, and its Brown cluster, both from a large cased English text.

Why: the English frequency band ("ze=", wordfreq) counts "Marine" and "marine" as one word,
so a capitalised word that is a frequent English noun ("Marine Le Pen", "Rose", "Bill") looks
like an ordinary word at the start of a name. Cased counts say how often each form is
written capitalised mid-text, which a name is and a noun is not; Brown clusters learnt from
a large English text carry what the CRF learns of one name to names used alike (the word2vec
clusters of `features.clusters` come from 1.3M tokens of gold-set text, half German).
Source: spaCy's English lexeme probabilities and Brown clusters (spacy-lookups-data, MIT),
cut to the words scripts/train_ner.py keeps (data/ner_english.tsv.gz).
"""

from __future__ import annotations

import gzip
import math
from functools import lru_cache
from importlib import resources

NO_PROB = -20.5  # the source's probability of an unseen word (natural log)
# Capital share bands: P(Capitalised) / (P(Capitalised) + P(lowercase)) of a word's two forms.
SHARE_BANDS = (0.05, 0.25, 0.6, 0.9)
BROWN_PREFIXES = (4, 8, 12)  # bits of the cluster's path: coarse class .. near-synonyms


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[float, int]]:
    """Cased word -> (natural-log probability, Brown cluster; 0 for none)."""
    raw = resources.files("storyline").joinpath("data/ner_english.tsv.gz").read_bytes()
    out: dict[str, tuple[float, int]] = {}
    shared: dict[str, tuple[float, int]] = {}  # probabilities are rounded: values repeat
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        word, _, rest = line.partition("\t")
        value = shared.get(rest)
        if value is None:
            prob, brown = rest.split("\t")
            value = shared[rest] = (float(prob), int(brown))
        out[word] = value
    return out


def _share_band(w: str, stats: dict[str, tuple[float, int]]) -> str:
    """Band of how often the word's capitalised form is used against its lowercase form;
    '-' when neither is known or the word has no case."""
    low = w.lower()
    cap = low[:1].upper() + low[1:]
    if cap == low:
        return "-"
    p_cap = stats.get(cap, (NO_PROB, 0))[0]
    p_low = stats.get(low, (NO_PROB, 0))[0]
    if p_cap == NO_PROB and p_low == NO_PROB:
        return "-"
    share = 1.0 / (1.0 + math.exp(p_low - p_cap))
    return str(sum(share >= b for b in SHARE_BANDS))


def brown_path(w: str) -> int:
    """The Brown cluster of the word, else of its capitalised or lowercase form (0: none).

    spaCy stores a path with its bits reversed, so the low bits are the path's first ones and
    a prefix of k bits is `path & (2**k - 1)`."""
    stats = table()
    for form in (w, w.capitalize(), w.lower()):
        found = stats.get(form)
        if found and found[1]:
            return found[1]
    return 0


def features(w: str) -> list[str]:
    """'ep=' the exact form's frequency band, 'cs=' its capital share band, 'bN=' Brown
    cluster prefixes of N bits and 'bc=' the whole cluster."""
    stats = table()
    prob = stats.get(w, (NO_PROB, 0))[0]
    band = str(min(int(-prob), 19)) if prob > NO_PROB else "-"
    path = brown_path(w)
    brown = ([f"b{k}={path & ((1 << k) - 1)}" for k in BROWN_PREFIXES] + [f"bc={path}"]
             if path else ["bc=-"])
    return ["ep=" + band, "cs=" + _share_band(w, stats), *brown]


def context(w: str) -> str:
    """The feature a neighbour contributes: its Brown cluster's 8-bit prefix."""
    path = brown_path(w)
    return f"b8={path & 255}" if path else "b8=-"
