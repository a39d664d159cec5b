"""Score article titles on trafilatura's evaluation pages (gold titles, `evaldata.json`).

For every page with a gold title: the title the extract stage gives (`stages.titles`) and
trafilatura's own metadata title on the same markup, each compared with the gold after
whitespace and Unicode (NFC) normalisation ("exact"), and also ignoring case: annotators
copied some titles as the page renders them, in capitals a stylesheet made.
"""

from __future__ import annotations

import csv
import json
import tarfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.ingest.base import decode
from storyline.stages.titles import page_title


def norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def pages(gold: Path) -> Iterator[tuple[str, str, str]]:
    """(url, gold title, markup) for the pages with a gold title, in the tarball's order."""
    folder = gold if gold.is_dir() else gold.parent
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    with (folder / "manifest.tsv").open(encoding="utf-8") as fh:
        urls = {row["html_path"]: row["url"] for row in csv.DictReader(fh, delimiter="\t")}
    with tarfile.open(folder / "html.tar.xz") as tar:
        for member in tar:
            url = urls.get(member.name)
            title = (data.get(url) or {}).get("title") if url else None
            if not member.isfile() or not title:
                continue
            page = tar.extractfile(member)
            if page is not None:
                yield str(url), str(title), decode(page.read())


def _trafilatura_title(markup: str, url: str) -> str | None:
    from trafilatura import extract_metadata

    try:
        meta = extract_metadata(markup, default_url=url)
    except Exception:  # trafilatura raises many kinds on odd markup: no title then
        return None
    return meta.title if meta is not None else None


def score(gold: Path, *, baseline: bool = True, **_: Any) -> dict[str, Any]:
    systems = ("storyline", "trafilatura") if baseline else ("storyline",)
    counts = {name: {"exact": 0, "ignoring_case": 0, "none": 0} for name in systems}
    misses: list[dict[str, str | None]] = []
    n = 0
    for url, title, markup in pages(gold):
        n += 1
        found = {"storyline": page_title(markup, url)}
        if baseline:
            found["trafilatura"] = _trafilatura_title(markup, url)
        for name, value in found.items():
            c = counts[name]
            c["exact"] += norm(value) == norm(title)
            c["ignoring_case"] += norm(value).casefold() == norm(title).casefold()
            c["none"] += not value
        if norm(found["storyline"]) != norm(title) and len(misses) < 2000:
            misses.append({"url": url, "gold": title, "storyline": found["storyline"]})
    if not n:
        raise FileNotFoundError(f"no pages with gold titles under {gold}")
    return {"pages": n, **{name: {**c, "accuracy": c["exact"] / n,
                                  "accuracy_ignoring_case": c["ignoring_case"] / n}
                           for name, c in counts.items()}, "misses": misses}


def report(result: dict[str, Any]) -> str:
    lines = [f"titles: {result['pages']} pages with a gold title",
             f"{'':12} {'exact':>7} {'ign.case':>9} {'no title':>9}"]
    for name in ("storyline", "trafilatura"):
        if name in result:
            r = result[name]
            lines.append(f"{name:12} {r['accuracy']:7.3f} {r['accuracy_ignoring_case']:9.3f} "
                         f"{r['none']:9d}")
    return "\n".join(lines)
