"""Outlet comparison: hand-made stores for exact behaviour, the dev corpus for invariants."""

from __future__ import annotations

from collections import Counter
from typing import Any

from storyline.corpus.compare import is_wire_copy, log_odds, story_comparison
from storyline.store import Store
from tests.corpus.test_timeline import add


def _wire(text: str, **kw: Any) -> bool:
    return is_wire_copy({"text": text, "duplicate_of": None, "outlet": "a", **kw})


def test_wire_credits_are_told_from_mentions_and_photo_credits() -> None:
    assert _wire("Damaskus/Genf (dpa) - Die Regierung hat zugestimmt.")
    assert _wire("Die Regierung hat zugestimmt. (sda/chb)")
    assert _wire("Von red/AFP 3. Mai 2016 - 17:32 Uhr\nDie Regierung hat zugestimmt.")
    assert _wire("dpa Washington. Die Regierung hat zugestimmt.")
    assert not _wire("Die Regierung hat zugestimmt, sagte er der Nachrichtenagentur Reuters.")
    assert not _wire("Merkel in Berlin (picture alliance / dpa). Sie sprach lange.")
    assert not _wire("Merkel in Berlin. Foto: Max Muster/dpa")
    assert _wire("Eigener Text.", duplicate_of="x", original_outlet="b")
    assert not _wire("Eigener Text.", duplicate_of="x", original_outlet="a")


def test_log_odds_ranks_an_outlets_own_words() -> None:
    counts = {"a": Counter({"terrorist": 12, "aleppo": 10, "stadt": 3, "selten": 1}),
              "b": Counter({"rebell": 6, "aleppo": 10, "stadt": 3}),
              "c": Counter({"rebell": 6, "aleppo": 10, "stadt": 3, "terrorist": 1})}
    words = log_odds(counts)
    assert [w["word"] for w in words["a"]] == ["terrorist"]
    top = words["a"][0]
    assert top["count"] == 12 and top["others_count"] == 1
    assert top["z"] > 1.96 and top["log_odds"] > 0
    assert all(w["word"] != "aleppo" for ws in words.values() for w in ws)
    # a stronger prior shrinks every estimate towards the pooled distribution
    strong = log_odds(counts, prior_share=1.0)["a"]
    assert not strong or strong[0]["z"] < top["z"]


def _story(store: Store) -> dict[str, str]:
    rt = "Die Terroristen beschießen Aleppo. Die Terroristen halten den Osten von Aleppo."
    ids = {
        "a1": add(store, rt, outlet="a.de", published="2016-07"),
        "a2": add(store, rt.replace("Osten", "Westen") + " Terroristen überall.",
                  outlet="a.de", published="2016-07-09"),
    }
    for outlet, day in (("b.de", "05"), ("c.de", "06")):
        ids[outlet] = add(store, "Die Rebellen halten den Osten von Aleppo. Die Rebellen "
                          "wehren sich in Aleppo, sagte Kerry.", outlet=outlet,
                          published=f"2016-07-{day}", quotes=[("wehren sich", "John Kerry")])
    ids["wire"] = add(store, "Damaskus (dpa) - In Aleppo halten Rebellen den Osten.",
                      outlet="c.de", published="2016-07-07")
    ids["copy"] = add(store, "Die Rebellen halten den Osten von Aleppo, kopiert.",
                      outlet="d.de", published="2016-07-08", duplicate_of=ids["b.de"])
    return ids


def test_outlets_first_reporter_and_distinctive_words(store: Store) -> None:
    ids = _story(store)
    cmp = story_comparison(store, "st-1")
    assert cmp is not None and cmp["story_id"] == "st-1"
    rows = {r["outlet"]: r for r in cmp["outlets"]}
    assert rows["a.de"]["n_articles"] == 2 and rows["a.de"]["first_published"] == "2016-07-09"
    assert (rows["c.de"]["wire_copies"], rows["c.de"]["own_reporting"]) == (1, 1)
    assert (rows["d.de"]["wire_copies"], rows["d.de"]["own_reporting"]) == (1, 0)
    assert rows["b.de"]["quoted"] == [{"speaker": "John Kerry", "key": rows["b.de"]["quoted"][0]
                                       ["key"], "n": 1}]
    assert cmp["first_reporter"] == {"outlet": "b.de", "published": "2016-07-05",
                                     "article_id": ids["b.de"]}
    words = cmp["distinctive_words"]
    assert words["a.de"][0]["word"] == "terrorist" and words["a.de"][0]["others_count"] == 0
    assert all(w["word"] not in ("aleppo", "die", "den") for ws in words.values() for w in ws)
    assert all(w["count"] >= 2 and w["z"] > 1.96 for ws in words.values() for w in ws)


def test_figure_conflicts(store: Store) -> None:
    a = ("In Aleppo wurden 20 Menschen getötet. 100 Menschen wurden verletzt. Mindestens 400 "
         "Menschen flohen. Die Wahlbeteiligung lag bei 52 Prozent. Seit 2011 starben 300000.")
    add(store, a, outlet="a.de", published="2016-07-05", figures=[
        ("20", 20, "killed", None), ("100", 100, "injured", None),
        ("Mindestens 400", 400, "fled", "mindestens"), ("52 Prozent", 52, "percent", None),
        ("300000", 300000, "killed", None)])
    b = ("Bei Angriffen auf Aleppo starben 35 Menschen, 105 wurden verletzt. 500 Menschen "
         "flohen. 48 Prozent gingen wählen. Später waren es 21 Tote.")
    add(store, b, outlet="b.de", published="2016-07-06", figures=[
        ("35", 35, "killed", None), ("105", 105, "injured", None), ("500", 500, "fled", None),
        ("48 Prozent", 48, "percent", None), ("21", 21, "killed", None)])
    add(store, "In einem anderen Ereignis starben 90 Menschen.", outlet="c.de",
        published="2016-07-06", event="ev-2", figures=[("90", 90, "killed", None)])
    add(store, "Im ganzen Krieg starben 400 Menschen.", outlet="d.de",  # another count
        published="2016-07-06", figures=[("400", 400, "killed", None)])
    cmp = story_comparison(store, "st-1")
    assert cmp is not None
    [conflict] = cmp["figure_conflicts"]
    assert (conflict["what"], conflict["event_id"]) == ("killed", "ev-1")
    values = [(v["outlet"], v["value"]) for v in conflict["values"]]
    assert values == [("a.de", 20), ("b.de", 35)]  # headline counts only: b's later 21, a's 300000
    first = conflict["values"][0]
    assert first["text"] == "In Aleppo wurden 20 Menschen getötet."
    assert a[first["start"]:first["end"]] == first["text"]
    assert a[first["figure"]["start"]:first["figure"]["end"]] == "20"


def test_unknown_story(store: Store) -> None:
    assert story_comparison(store, "st-missing") is None


def test_dev_corpus_comparisons(dev_store: Store) -> None:
    """Counts add up for every story, and the dev corpus' wire copy is found."""
    wire = 0
    for sid in {r["story_id"] for r in dev_store.query("SELECT story_id FROM articles")}:
        cmp = story_comparison(dev_store, sid)
        assert cmp is not None
        arts = dev_store.query("SELECT id, outlet, published FROM articles WHERE story_id = ? "
                               "AND superseded_by IS NULL", [sid])
        assert sum(o["n_articles"] for o in cmp["outlets"]) == len(arts)
        for o in cmp["outlets"]:
            assert o["wire_copies"] + o["own_reporting"] == o["n_articles"]
            assert all(q["n"] >= 1 for q in o["quoted"])
        wire += sum(o["wire_copies"] for o in cmp["outlets"])
        dated = sorted(a["published"] for a in arts if a["published"])
        if cmp["first_reporter"]:
            assert cmp["first_reporter"]["published"] in dated
        else:
            assert not dated
        for ws in cmp["distinctive_words"].values():
            assert [w["z"] for w in ws] == sorted((w["z"] for w in ws), reverse=True)
            assert all(w["count"] >= 2 and w["z"] > 1.96 for w in ws)
        for c in cmp["figure_conflicts"]:
            assert len({v["outlet"] for v in c["values"]}) >= 2
    assert wire >= 5
