"""Search on the demo corpus (wire copies of one text in several outlets): copies folded and
events kept together before paging, clean snippets, and no simplemma load for a query whose
words the corpus has."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.pipeline import run_ingest
from storyline.store import Store, queries

DEMO = Path(__file__).resolve().parents[2] / "demo" / "corpus"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from storyline import settings as settings_mod

    path = tmp_path_factory.mktemp("search") / "demo.db"
    store = Store(path)
    run_ingest(store, [str(DEMO)], settings_mod.load())
    store.close()
    yield path


def _pages(store: Store, q: str, size: int) -> list[dict]:  # type: ignore[type-arg]
    hits, offset = [], 0
    while True:
        page = queries.search(store, q, limit=size, offset=offset)["hits"]
        hits += page
        if len(page) < size:
            return hits
        offset += size


def test_copies_fold_and_events_stay_together_before_paging(demo: Path) -> None:
    store = Store(demo, readonly=True)
    whole = queries.search(store, "Vardenien", limit=100)
    assert whole["total"] > whole["n_groups"] == len(whole["hits"])  # copies were folded
    assert any(h["n_copies"] for h in whole["hits"])
    one_by_one = _pages(store, "Vardenien", 1)
    assert [h["id"] for h in one_by_one] == [h["id"] for h in whole["hits"]]
    seen = [h["id"] for h in one_by_one] + [c["id"] for h in one_by_one for c in h["copies"]]
    assert len(seen) == len(set(seen)) == whole["total"]  # every match once, none split
    groups = {h["duplicate_of"] or h["id"] for h in one_by_one}
    assert len(groups) == len(one_by_one)
    events = [h["event_id"] for h in one_by_one]
    for ev in set(events):  # one event's hits follow each other
        at = [i for i, e in enumerate(events) if e == ev]
        assert at == list(range(at[0], at[-1] + 1)), ev


def test_cli_search_needs_no_simplemma_for_words_the_corpus_has(demo: Path) -> None:
    code = ("import json, sys\n"
            "from storyline.store import Store, queries\n"
            "from storyline.store import search\n"
            "r = queries.search(Store(sys.argv[1], readonly=True), sys.argv[2])\n"
            "print(json.dumps([r['total'], search._lemma.cache_info().misses]))")
    for q, loads in (("Waffenruhe Genf", 0), ("abgebrochen", 0), ("Qwertzuiop", 2)):
        out = subprocess.run([sys.executable, "-c", code, str(demo), q], check=True,
                             capture_output=True, text=True).stdout
        total, misses = json.loads(out)
        assert total > 0 or loads, q
        assert misses == loads, q  # simplemma only for a word no article has
    storyline = str(Path(sys.executable).parent / "storyline")
    cli = subprocess.run([storyline, "--db", str(demo), "search", "Genf", "--json"],
                         check=True, capture_output=True, text=True)
    hits = json.loads(cli.stdout)["hits"]
    assert hits and all("\x02" not in h["snippet"] and "\x03" not in h["snippet"] for h in hits)
    assert any(h["marks"] for h in hits)
