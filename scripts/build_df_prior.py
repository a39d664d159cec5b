"""Build the German background document-frequency prior src/storyline/data/df_de.tsv.

    .venv/bin/python scripts/build_df_prior.py [/work/shared/gold/germeval2014-ner]

Source: the GermEval 2014 NER sentences (CC BY 4.0; Benikova, Biemann, Kisselew, Padó 2014),
test and dev splits, news and Wikipedia. Consecutive sentences are grouped into pseudo
documents of DOC_SENTENCES sentences (about one short news article), each is reduced to the
same term keys `features.lemmas` gives articles, and the table keeps every term found in at
least MIN_DF pseudo documents. Only counts of lemmas are shipped, no text.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from storyline.corpus.features import lemmas

DOC_SENTENCES = 20
MIN_DF = 2
OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "data" / "df_de.tsv"


def sentences(path: Path) -> list[str]:
    out: list[str] = []
    words: list[str] = []
    for line in path.open(encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(cols) < 2:
            if words:
                out.append(" ".join(words))
            words = []
            continue
        words.append(cols[1])
    if words:
        out.append(" ".join(words))
    return out


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/gold/germeval2014-ner")
    sents = [s for name in ("NER-de-test.tsv", "NER-de-dev.tsv")
             for s in sentences(root / name)]
    df: Counter[str] = Counter()
    docs = 0
    for i in range(0, len(sents), DOC_SENTENCES):
        df.update(set(lemmas(" ".join(sents[i:i + DOC_SENTENCES]), "de")))
        docs += 1
    rows = sorted(((t, n) for t, n in df.items() if n >= MIN_DF), key=lambda kv: (-kv[1], kv[0]))
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(f"#docs\t{docs}\n")
        fh.writelines(f"{t}\t{n}\n" for t, n in rows)
    print(f"{docs} pseudo documents, {len(rows)} terms -> {OUT}")


if __name__ == "__main__":
    main()
