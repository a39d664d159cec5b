"""The story re-link (corpus/relink.py): a story the index opened apart joins its story once
its whole centroid shows where it belongs, whatever the ingest batches; number keys and
generic words never link. On written reports (a ferry sinking, and a memorial whose first
report names neither the ferry nor the place) and on the real dev-2 corpus (skipped without
../shared): the Germanwings memorial reports join the crash and finding reports' story."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from storyline import settings as settings_mod
from storyline.corpus.events import StoryIndex
from storyline.corpus.explain import explain_pair
from storyline.corpus.relink import checkpoint, find, names_later_year, settings_of, time_factor
from storyline.corpus.stories import Cluster, Span
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import needs_shared
from tests.corpus.test_move import SINKING as FERRY_SINKING
from tests.corpus.test_split import ingest_lines, labeled

SINKING = FERRY_SINKING[:4]  # the ferry's sinking reports (tests/corpus/test_move.py)
TEASER = ("Hundreds of mourners filled Saint Brendan's cathedral in Port Laden for a service "
          "of remembrance; bishop Anna Kell led the prayers.")
MEMORIAL = [
    "Mourners in Saint Brendan's cathedral in Port Laden remembered the six victims of the "
    "Albatross ferry that sank off Grey Point; bishop Anna Kell led the service.",
    "Bishop Anna Kell named the six Albatross victims at the remembrance service in Port "
    "Laden, three weeks after the ferry capsized near Grey Point.",
    "Relatives of the Albatross ferry victims lit candles in Saint Brendan's cathedral in "
    "Port Laden; the ferry sank off Grey Point with sixty people aboard.",
]


def _line(aid: str, text: str, day: str) -> str:
    return json.dumps({"id": aid, "url": f"https://news.example/{aid}", "outlet":
                       "news.example", "title": text.split(";")[0][:60], "text": text,
                       "published": day}) + "\n"


def _ferry() -> list[str]:
    lines = [_line(f"s{i}", t, "2023-05-02") for i, t in enumerate(SINKING)]
    lines.append(_line("m0", TEASER, "2023-05-19"))  # the evening before
    return lines + [_line(f"m{i + 1}", t, "2023-05-20") for i, t in enumerate(MEMORIAL)]


def _ingest(tmp_path: Path, name: str, batches: list[list[str]],
            settings: Settings) -> dict[str, str]:
    """Story id by record id."""
    return dict(ingest_lines(tmp_path, name, batches, settings, "story_id"))


def test_checkpoints_keep_the_looks_per_story_few() -> None:
    assert [n for n in range(70) if checkpoint(n)] == [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]


def _span(day: str, kind: str) -> Span:
    return Span.of({"date": day, "date_kind": kind})


def test_a_crawl_month_only_bounds_from_above() -> None:
    early = _span("2011-03-11", "published")
    late_crawl = _span("2018-06", "crawl")  # a 2011 report crawled years later
    assert time_factor(early, late_crawl, 120, 1.0) == 1.0
    assert time_factor(early, late_crawl, 120, 0.3) == 0.3  # a floor, where asked for
    assert time_factor(early, late_crawl, 120, 1.0, later=True) < 0.3  # it names 2018
    # an exact date past the other side's crawl month: published after it was crawled
    assert time_factor(_span("2011-03", "crawl"), _span("2018-06-01", "published"),
                       120, 1.0) < 0.01
    assert time_factor(early, _span("2011-03-20", "published"), 120, 1.0) == 1.0
    assert time_factor(early, _span("2012-06-20", "published"), 120, 1.0) < 0.06


def test_a_story_naming_a_later_year_looks_back() -> None:
    old = Cluster("st-a", 1, terms={"fr": {"macron": 3.0, "#2017": 1.0}},
                  span=_span("2017-05-07", "published"))
    again = Cluster("st-b", 2, terms={"fr": {"macron": 2.0, "#2022": 1.0, "#2017": 1.0}},
                    span=_span("2022-04", "crawl"))
    crawled = Cluster("st-c", 3, terms={"fr": {"macron": 2.0, "#2017": 1.0}},
                      span=_span("2022-04", "crawl"))
    assert names_later_year(again, old)
    assert not names_later_year(crawled, old)  # only the year of the old story
    assert not names_later_year(old, again)


def _feats(words: str, day: str) -> dict[str, Any]:
    return {"lang": "de", "date": day, "date_kind": "published",
            "terms": dict(Counter(words.split()))}


def test_number_keys_and_generic_words_never_link_stories(settings: Settings) -> None:
    """Oil statistics and a debt report share years and counts and two generic words: the
    re-link does not join them, however alike their centroids; a third shared word would."""
    index = StoryIndex(settings)
    oil = "#2021 #2020 #12 statistik prozent rohöl einfuhr bafa förderung"
    for i in range(8):
        index.add(f"o{i}", _feats(oil + f" o{i}", "2022-01-10"))
    cfg = settings_of(index.cfg)

    def debt(words: str) -> Cluster:
        cl = Cluster("st-d", 99, size=8, span=_span("2022-01-11", "published"))
        terms = _feats(words, "2022-01-11")["terms"]
        cl.terms = {"de": {t: 8.0 * n for t, n in terms.items()}}
        cl.refresh(index.df)
        return cl

    assert find(debt("#2021 #2020 #12 statistik prozent schulden nicaragua"), index,
                cfg) is None
    hit = find(debt("#2021 #2020 #12 statistik prozent rohöl schulden"), index, cfg)
    assert hit is not None and hit[0].parent == "" and hit[0].id.startswith("st-o")


def test_a_memorial_joins_the_story_of_its_ferry(tmp_path: Path, settings: Settings) -> None:
    """The memorial's first report names neither the ferry nor the place, so its event opens
    a story of its own; once its reports name both, the re-link joins that story to the
    sinking's, in one batch or in two (the first batch's rows are rewritten)."""
    off = settings_mod.load(path=Path("/nonexistent"), **{"cluster.story_relink": False})
    apart = _ingest(tmp_path, "off", [_ferry()], off)
    assert apart["m0"] != apart["s0"] and apart["m1"] == apart["m0"]  # the index alone
    got = _ingest(tmp_path, "on", [_ferry()], settings)
    assert len(set(got.values())) == 1
    lines = _ferry()
    assert _ingest(tmp_path, "two", [lines[:6], lines[6:]], settings) == got
    store = Store(tmp_path / "two.db")
    rows = store.conn.execute("SELECT id, n_articles, n_events FROM stories").fetchall()
    assert [(r[1], r[2]) for r in rows] == [(8, 2)]  # the teaser's story row is gone
    ids = dict(store.conn.execute("SELECT source_name, id FROM articles").fetchall())
    pair = explain_pair(store, settings, ids["m0"], ids["s0"])
    assert pair is not None and "corpus/relink.py" in pair["story_relink"]
    store.close()


@needs_shared
def test_germanwings_memorial_joins_its_story_in_any_batches(tmp_path: Path,
                                                             settings: Settings) -> None:
    labels, lines = labeled("dev-2")
    off = settings_mod.load(path=Path("/nonexistent"), **{"cluster.story_relink": False})

    def stories(got: dict[str, str]) -> int:
        return len({got[k] for k, lab in labels.items() if lab["story"] == "germanwings-2015"})

    assert stories(_ingest(tmp_path, "off", [lines], off)) >= 2
    got = _ingest(tmp_path, "on", [lines], settings)
    assert stories(got) == 1
    step = -(-len(lines) // 6)
    assert _ingest(tmp_path, "batches", [lines[i:i + step] for i in range(0, len(lines), step)],
                   settings) == got


@needs_shared
def test_the_2022_reelection_stays_apart_from_2017(tmp_path: Path, settings: Settings) -> None:
    """The re-election's reports name 2022, after every date of the 2017 story: its crawl
    months then count, and the two stories stay apart (the full pipeline, dev-bi)."""
    labels, lines = labeled("dev-bi")
    got = _ingest(tmp_path, "bi", [lines], settings)
    main = {s: Counter(got[k] for k, lab in labels.items() if lab["story"] == s).most_common(1)
            for s in ("macron-election-2017", "macron-reelection-2022")}
    assert main["macron-election-2017"][0][0] != main["macron-reelection-2022"][0][0]
