"""Learn word clusters for the NER CRFs from unlabeled text: data/ner_clusters.tsv.gz.

    python scripts/train_clusters.py          # needs `pip install -e '.[train]'` (gensim)

Why: a CRF trained on a few thousand sentences knows only the words it saw; words that
occur in the same contexts (city names, surnames, company names, nouns of a kind) land in the
same cluster, so the cluster id carries what was learnt about one word to its neighbours.
The GermEval 2014 systems that reached 0.76-0.79 all used such distributional features.

How: word2vec (gensim, skip-gram, one worker and a fixed seed: rerunning gives the same
file) over the *text* of the openly licensed sets in ../shared/gold, German and English in
one model, then k-means (scikit-learn) at three granularities. Evaluation text is never read:
not GermEval dev, not UNER test, not GUM's test documents. Sources and licences:
GermEval 2014 test, SmartData, MobIE, WikiGold, BTC, GUM, WNUT17 (CC BY 4.0), Europeana
(CC0), SpkAtt parliament debates, UNER English-EWT train/dev (CC BY-SA 4.0), WikiWarsDE (CC
BY-SA 3.0): the cluster file is CC BY-SA 4.0 (NOTICE).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.eval.ner import read_germeval  # noqa: E402
from storyline.stages.entities import TOKEN_RE, corpora, training  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
OUT = ROOT / "src" / "storyline" / "data" / "ner_clusters.tsv.gz"
SIZES = (64, 256, 1024)  # k-means granularities: coarse word class .. near-synonyms
MIN_COUNT = 3
TAG = re.compile(r"<[^>]+>")


def labelled() -> Iterator[list[str]]:
    """The words of the labelled training sets (never their evaluation splits)."""
    yield from (s.words for s in read_germeval(GOLD / "germeval2014-ner" / "NER-de-test.tsv"))
    for name in ("smartdata,mobie,europeana", "wikigold,btc,gum,uner"):
        lang = "de" if "smartdata" in name else "en"
        sents, _ = training.training_sets(GOLD, lang, name)
        yield from (s.words for s in sents if not s.url.startswith("http"))


def unlabelled() -> Iterator[list[str]]:
    """Running text of sets whose annotation we do not use for NER."""
    for path in sorted((GOLD / "spkatt2023-gepade-parliament").glob("*/*.json")):
        for sent in json.loads(path.read_text("utf-8"))["Sentences"]:
            yield sent["Tokens"]
    for path in sorted((GOLD / "wikiwarsde-timex").glob("*/in/*.sgm")):
        for line in TAG.sub(" ", path.read_text("utf-8")).splitlines():
            if line.strip():
                yield TOKEN_RE.findall(line)
    for path in [*sorted((GOLD / "wnut17-en").glob("*.conll")),
                 *sorted((GOLD / "re3d-en-open").glob("*/*.conll"))]:
        yield from ([row[0] for row in block] for block in corpora._blocks(path))


def train_vectors(sents: list[list[str]], dim: int, epochs: int) -> tuple[list[str], object]:
    from gensim.models import Word2Vec

    model = Word2Vec(sents, vector_size=dim, window=5, min_count=MIN_COUNT, sg=1,
                     epochs=epochs, workers=1, seed=7)
    return list(model.wv.index_to_key), model.wv.vectors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args()
    import numpy as np
    from sklearn.cluster import KMeans

    t0 = time.time()
    sents = [s for s in (*labelled(), *unlabelled()) if s]
    print(f"text: {len(sents)} sentences, {sum(map(len, sents))} tokens")
    words, vectors = train_vectors(sents, args.dim, args.epochs)
    vecs = np.asarray(vectors)
    vecs = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
    print(f"word2vec: {len(words)} words in {time.time() - t0:.0f}s")
    columns = []
    for k in SIZES:
        km = KMeans(n_clusters=k, n_init=1, random_state=7, max_iter=50).fit(vecs)
        columns.append(km.labels_.tolist())
        print(f"k-means {k}: {time.time() - t0:.0f}s")
    lines = "".join(f"{w}\t" + "\t".join(str(c[i]) for c in columns) + "\n"
                    for i, w in sorted(enumerate(words), key=lambda x: x[1]) if "\t" not in w)
    OUT.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    print(f"clusters: {len(words)} words -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
