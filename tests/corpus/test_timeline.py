"""Story timelines: on hand-made stores (exact behaviour) and on the real dev corpus."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import count

from storyline.corpus.timeline import story_timeline
from storyline.store import Store
from storyline.store.db import entity_key
from tests.conftest import SHARED

DEV = SHARED / "corpus" / "dev"
_serial = count()


def span_of(text: str, phrase: str) -> tuple[int, int]:
    """Offsets of `phrase`; "3. Oktober#2" is its second occurrence."""
    phrase, _, nth = phrase.partition("#")
    start = -1
    for _ in range(int(nth or 1)):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def add(store: Store, text: str, *, outlet: str, published: str | None = None,
        event: str = "ev-1", story: str = "st-1", duplicate_of: str | None = None,
        published_source: str | None = None,
        dates: Sequence[tuple[str, str]] = (), mentions: Sequence[tuple[str, str]] = (),
        figures: Sequence[tuple[str, float, str, str | None]] = (),
        quotes: Sequence[tuple[str, str]] = ()) -> str:
    """Insert one article with its facts as rows (the schema is the contract here).

    dates: (phrase, value); mentions: (phrase, type); figures: (phrase, value, what,
    qualifier); quotes: (phrase, speaker). Offsets are found in `text`; "x#2" is the second
    occurrence of x."""
    n = next(_serial)
    aid = f"{n:016x}"
    store.conn.execute(
        "INSERT INTO articles (id, source, source_name, source_key, outlet, lang, published, "
        "published_source, text, raw_text, sort_key, duplicate_of, event_id, story_id, "
        "ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (aid, f"mem/{n}", f"{n}.txt", f"mem/{n}", outlet, "de", published,
         published_source or ("url" if published else "none"), text, text,
         f"{published or '9999'}|{aid}",
         duplicate_of, event, story, "2024-01-01"))
    for phrase, value in dates:
        store.conn.execute("INSERT INTO dates VALUES (?,?,?,?,?)",
                           (aid, *span_of(text, phrase), phrase.partition("#")[0], value))
    for phrase, type_ in mentions:
        store.conn.execute("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?)",
                           (aid, *span_of(text, phrase), phrase, type_, phrase,
                            entity_key(phrase, type_), None))
    for phrase, value, what, qualifier in figures:
        store.conn.execute("INSERT INTO figures VALUES (?,?,?,?,?,?,?)",
                           (aid, *span_of(text, phrase), phrase, value, what, qualifier))
    for phrase, speaker in quotes:
        store.conn.execute("INSERT INTO quotes (article_id, start, end, text, kind, speaker, "
                           "speaker_canonical, speaker_key) VALUES (?,?,?,?,?,?,?,?)",
                           (aid, *span_of(text, phrase), phrase, "direct", speaker, speaker,
                            entity_key(speaker, "PER")))
    store.conn.execute("INSERT OR IGNORE INTO events (id, story_id, label, n_articles, "
                       "n_outlets) VALUES (?, ?, ?, 0, 0)", (event, story, f"label {event}"))
    return aid



JULY = ("Moskau - Die humanitäre Operation in Aleppo läuft weiter. Am 28. Juli hatte "
        "Russland die Öffnung von Korridoren verkündet. Seit 2011 tobt der Krieg.")


def test_date_comes_from_content_not_publication(store: Store) -> None:
    a = add(store, JULY, outlet="a.de", published="2016-08-02",
            dates=[("28. Juli", "2016-07-28"), ("2011", "2011")])
    add(store, "Aleppo: Am 28. Juli kündigte Moskau Korridore an. Vor 1. Januar 2015 nicht.",
        outlet="b.de", published="2016-08-05",
        dates=[("28. Juli", "2016-07-28"), ("1. Januar 2015", "2015-01-01")])
    tl = story_timeline(store, "st-1")
    assert tl is not None and tl["undated"] == []
    [entry] = tl["entries"]
    assert (entry["date"], entry["date_source"]) == ("2016-07-28", "content")
    ev = entry["evidence"]
    assert ev["date_text"] == "28. Juli" and ev["outlet"] in ("a.de", "b.de")
    text = JULY if ev["article_id"] == a else store.query(
        "SELECT text FROM articles WHERE id = ?", [ev["article_id"]])[0]["text"]
    assert text[ev["start"]:ev["end"]] == ev["text"] and "28. Juli" in ev["text"]
    assert ev["text"].endswith("verkündet.") or ev["text"].endswith("an.")
    assert entry["label"] == "label ev-1" and entry["n_articles"] == 2
    assert [o["outlet"] for o in entry["outlets"]] == ["a.de", "b.de"]
    assert entry["outlets"][0] == {"outlet": "a.de", "first_reported": "2016-08-02",
                                   "article_id": a}


def test_yearless_date_is_settled_by_the_events_publication_window(store: Store) -> None:
    add(store, "Bericht ohne Datum: am 28. Juli begann die Operation.", outlet="x.de",
        dates=[("28. Juli", "XXXX-07-28")])
    add(store, "Aleppo meldet neue Kämpfe.", outlet="y.de", published="2016-08-10")
    [entry] = story_timeline(store, "st-1")["entries"]  # type: ignore[index]
    assert entry["date"] == "2016-07-28" and entry["evidence"]["outlet"] == "x.de"


def test_most_outlets_win_then_earliest(store: Store) -> None:
    add(store, "Am Montag griffen Jets an. Am Dienstag auch.", outlet="a.de",
        published="2016-09-30", dates=[("Montag", "2016-09-26"), ("Dienstag", "2016-09-27")])
    add(store, "Am Dienstag griffen Jets an.", outlet="b.de", published="2016-09-30",
        dates=[("Dienstag", "2016-09-27")])
    add(store, "Am Freitag gab es Gespräche.", outlet="c.de", published="2016-10-01",
        event="ev-2", dates=[("Freitag", "2016-09-30")])
    add(store, "Am Donnerstag gab es Gespräche.", outlet="d.de", published="2016-10-01",
        event="ev-2", dates=[("Donnerstag", "2016-09-29")])
    tl = story_timeline(store, "st-1")
    assert tl is not None
    assert [(e["event_id"], e["date"]) for e in tl["entries"]] == [
        ("ev-1", "2016-09-27"), ("ev-2", "2016-09-29")]
    assert tl["entries"][0]["support"] == {"articles": 2, "outlets": 2}


def test_evidence_prefers_a_sentence_naming_the_events_entities(store: Store) -> None:
    text = "Am 3. Oktober regnete es. Am 3. Oktober brach Kerry die Gespräche mit Lawrow ab."
    add(store, text, outlet="a.de", published="2016-10-04",
        dates=[("3. Oktober", "2016-10-03"), ("3. Oktober#2", "2016-10-03")],
        mentions=[("Kerry", "PER"), ("Lawrow", "PER")])
    [entry] = story_timeline(store, "st-1")["entries"]  # type: ignore[index]
    assert entry["evidence"]["text"].startswith("Am 3. Oktober brach Kerry")


def test_publication_date_is_the_fallback_and_nothing_is_undated(store: Store) -> None:
    add(store, "Text ohne Datumsangabe.", outlet="a.de", published="2016-10")
    add(store, "Ein Text aus dem Jahr 1998 ohne Bezug.", outlet="b.de", published="2016-10-12",
        dates=[("1998", "1998")])
    add(store, "Noch ein Text ohne Datum.", outlet="c.de", event="ev-2")
    tl = story_timeline(store, "st-1")
    assert tl is not None and tl["undated"] == ["ev-2"]
    [entry] = tl["entries"]
    assert (entry["date"], entry["date_source"]) == ("2016-10-12", "published")
    assert entry["evidence"]["date_text"] is None
    assert entry["evidence"]["text"] == "Ein Text aus dem Jahr 1998 ohne Bezug."


def test_a_named_month_only_dates_events_without_publication_date(store: Store) -> None:
    add(store, "dpa Moskau.\nDie Waffenruhe war im vergangenen Monat gescheitert, hieß es.",
        outlet="a.de", published="2016-10", dates=[("vergangenen Monat", "2016-09")])
    add(store, "Im August 2016 begann die Offensive.", outlet="b.de", event="ev-2",
        dates=[("August 2016", "2016-08")])
    add(store, "Seit August 2016 läuft die Offensive.", outlet="c.de", event="ev-2",
        dates=[("August 2016", "2016-08")])
    tl = story_timeline(store, "st-1")
    assert tl is not None
    first, second = tl["entries"]
    assert (first["event_id"], first["date"], first["date_source"]) == (
        "ev-2", "2016-08", "content")
    assert (second["date"], second["date_source"]) == ("2016-10", "published")
    assert second["evidence"]["text"].startswith("Die Waffenruhe")  # not the dateline


def test_older_dates_need_more_outlets_and_timestamps_are_not_events(store: Store) -> None:
    text = "Veröffentlicht am 20.10.2016\nDie Gespräche begannen am 1. Oktober in Genf."
    add(store, text, outlet="a.de", published="2016-10-25",
        dates=[("20.10.2016", "2016-10-20"), ("1. Oktober", "2016-10-01")])
    tl = story_timeline(store, "st-1")
    assert tl is not None
    [entry] = tl["entries"]  # 24 days back, one outlet: background; the stamp is no event
    assert (entry["date"], entry["date_source"]) == ("2016-10-20", "published")
    assert entry["evidence"]["text"].startswith("Die Gespräche")
    for outlet in ("b.de", "c.de"):
        add(store, "Seit dem 1. Oktober wird in Genf verhandelt.", outlet=outlet,
            published="2016-10-25", dates=[("1. Oktober", "2016-10-01")])
    [entry] = story_timeline(store, "st-1")["entries"]  # type: ignore[index]
    assert (entry["date"], entry["date_source"]) == ("2016-10-01", "content")
    assert entry["support"] == {"articles": 3, "outlets": 3}


def test_unanchored_date_needs_two_outlets(store: Store) -> None:
    add(store, "Er reiste am 30. Juni 2015 ein.", outlet="a.de",
        dates=[("30. Juni 2015", "2015-06-30")])
    assert story_timeline(store, "st-1")["undated"] == ["ev-1"]  # type: ignore[index]
    add(store, "Am 18. Juli 2016 griff er an.", outlet="b.de",
        dates=[("18. Juli 2016", "2016-07-18")])
    add(store, "Der Angriff vom 18. Juli 2016.", outlet="c.de",
        dates=[("18. Juli 2016", "2016-07-18")])
    [entry] = story_timeline(store, "st-1")["entries"]  # type: ignore[index]
    assert entry["date"] == "2016-07-18"


def test_dates_ahead_of_the_report_are_announced_until_reported(store: Store) -> None:
    """A date after its article was published is an announcement: listed with its sentence,
    never the event's date, until articles published on or after that day report it."""
    add(store, "Am Mittwoch griffen Jets Aleppo an. Die Waffenruhe soll am 19. Oktober "
        "beginnen.", outlet="a.de", published="2016-10-14",
        dates=[("Mittwoch", "2016-10-12"), ("19. Oktober", "2016-10-19")])
    [entry] = story_timeline(store, "st-1")["entries"]  # type: ignore[index]
    assert (entry["date"], entry["date_source"]) == ("2016-10-12", "content")
    [announced] = entry["announced"]
    assert announced["date"] == "2016-10-19" and announced["outlets"] == 1
    assert announced["evidence"]["text"] == "Die Waffenruhe soll am 19. Oktober beginnen."
    for outlet in ("b.de", "c.de"):
        add(store, "Am 19. Oktober begann die Waffenruhe.", outlet=outlet,
            published="2016-10-20", dates=[("19. Oktober", "2016-10-19")])
    [entry] = story_timeline(store, "st-1")["entries"]  # type: ignore[index]
    assert entry["date"] == "2016-10-19" and entry["announced"] == []
    assert entry["support"] == {"articles": 2, "outlets": 2}  # the announcement is no support


def test_month_dated_reports_are_judged_by_the_events_first_report(store: Store) -> None:
    """The seed case: a page crawled in October says Putin travels "am 19. Oktober"; the
    event was reported in September already, so the day is an announcement, not the
    event's date, until a report that cannot predate it confirms it."""
    add(store, "Kerry drohte mit dem Abbruch der Gespräche.", outlet="x.de",
        published="2016-09", published_source="header")
    add(store, "Wie Lawrow mitteilte, reist Putin am 19. Oktober nach Frankreich.",
        outlet="y.de", published="2016-10", published_source="header",
        dates=[("19. Oktober", "2016-10-19")])
    [entry] = story_timeline(store, "st-1")["entries"]  # type: ignore[index]
    assert entry["date"] == "2016-09" and entry["date_source"] == "published"
    assert [a["date"] for a in entry["announced"]] == ["2016-10-19"]
    add(store, "Putin war am 19. Oktober in Frankreich.", outlet="z.de",
        published="2016-10-21", dates=[("19. Oktober", "2016-10-19")])
    [entry] = story_timeline(store, "st-1")["entries"]  # type: ignore[index]
    assert (entry["date"], entry["date_source"]) == ("2016-10-19", "content")
    assert entry["support"]["outlets"] == 2 and entry["announced"] == []


def test_unknown_story(store: Store) -> None:
    assert story_timeline(store, "st-missing") is None


def test_dev_corpus_timelines(dev_store: Store) -> None:
    """Every event appears once; evidence is real text at its offsets; dates are sorted and
    content dates agree with the labelled event dates for most articles."""
    labels = {r["url"]: r for r in map(json.loads, (DEV / "labels.jsonl").open())}
    texts = {r["id"]: r for r in dev_store.query(
        "SELECT id, text, url, event_id FROM articles WHERE superseded_by IS NULL")}
    checked = agree = 0
    for sid in {r["story_id"] for r in dev_store.query("SELECT story_id FROM articles")}:
        tl = story_timeline(dev_store, sid)
        assert tl is not None
        events = {r["event_id"] for r in texts.values() if r["event_id"] and
                  dev_store.query("SELECT 1 FROM articles WHERE id=? AND story_id=?",
                                  [r["id"], sid])}
        assert sorted([e["event_id"] for e in tl["entries"]] + tl["undated"]) == sorted(events)
        assert [e["date"] for e in tl["entries"]] == sorted(e["date"] for e in tl["entries"])
        for e in tl["entries"]:
            ev = e["evidence"]
            assert texts[ev["article_id"]]["text"][ev["start"]:ev["end"]] == ev["text"]
            if e["date_source"] == "content":
                assert ev["date_text"] in ev["text"]
                gold = [labels[r["url"]].get("event_date") for r in texts.values()
                        if r["event_id"] == e["event_id"] and r["url"] in labels]
                gold = [g for g in gold if g]
                checked += len(gold)
                agree += sum(g[:7] == e["date"][:7] for g in gold)
    assert checked >= 5 and agree / checked >= 0.7


def test_seed_story_dates_the_talks_threat_from_content(dev_store: Store) -> None:
    """The seed about Kerry's threat (published only as "2016-09") gets a day from the texts
    of its event, and its evidence sentence comes from a non-duplicate article."""
    [seed] = dev_store.query("SELECT event_id, story_id FROM articles WHERE source_name GLOB "
                             "'001_*.txt'")
    tl = story_timeline(dev_store, seed["story_id"])
    assert tl is not None
    [entry] = [e for e in tl["entries"] if e["event_id"] == seed["event_id"]]
    assert entry["date_source"] == "content" and len(entry["date"]) == 10
    assert entry["date"].startswith("2016-09")
    dup = dev_store.query("SELECT duplicate_of FROM articles WHERE id = ?",
                          [entry["evidence"]["article_id"]])[0]["duplicate_of"]
    assert dup is None
