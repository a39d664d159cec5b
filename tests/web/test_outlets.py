"""Outlet profiles: the CSV a user edits, its errors named by line, and the comparison's
coverage by country and by type of outlet."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.web import outlets

DEMO = Path(__file__).resolve().parents[2] / "demo" / "corpus"


def test_every_bad_line_is_named_and_the_good_ones_count() -> None:
    text = ("# my outlets\noutlet,country,language,type\nrheinblatt.example,DE,de,newspaper\n"
            "Tabloid Daily,GB,en,tabloid\nNowhere News,XX,en,newspaper\n"
            "Halbe Zeile,DE\n\nWire One,FR,fra,wire agency\nRHEINBLATT.example,DE,de,blog\n"
            'BBC,GB,en,"Public  Broadcaster"\n')
    p = outlets.parse(text, Path("my-outlets.csv"))
    assert p.errors == [
        "my-outlets.csv line 4: type 'tabloid' is not one of blog, newspaper, "
        "public broadcaster, wire agency",
        "my-outlets.csv line 5: country 'XX' is not an ISO 3166 code such as DE or GB",
        "my-outlets.csv line 6: 2 fields, expected 4 (outlet,country,language,type)",
        "my-outlets.csv line 8: language 'fra' is not an ISO 639-1 code such as de or en",
        "my-outlets.csv line 9: 'RHEINBLATT.example' is already listed on line 3"]
    assert p.get("www.Rheinblatt.example") == outlets.Profile(
        "rheinblatt.example", "DE", "de", "newspaper")
    assert p.get("BBC") and p.get("BBC").type == "public broadcaster"  # type: ignore[union-attr]
    bad_header = outlets.parse("name;country\nx;DE\n", Path("o.csv"))
    assert bad_header.errors[0].startswith("o.csv line 1: the first line must be the header")


def test_the_shipped_list_profiles_every_demo_outlet() -> None:
    shipped = outlets.parse(outlets.DEFAULT.read_text(encoding="utf-8"), outlets.DEFAULT)
    assert shipped.errors == []
    folders = [p.name for p in DEMO.iterdir() if p.is_dir() and p.name not in
               ("bad", "feeds", "web")]
    assert folders and all(shipped.get(name) for name in folders), folders
    assert shipped.get("Agentur Nord").type == "wire agency"  # type: ignore[union-attr]


def test_the_comparison_shows_coverage_by_country_and_type(client: TestClient) -> None:
    sid = [s["id"] for s in client.get("/api/stories", params={"limit": 50}).json()["stories"]
           if s["n_outlets"] >= 5][0]
    cmp = client.get(f"/api/stories/{sid}/comparison").json()
    cb = cmp["coverage_by"]
    assert sum(r["n_articles"] for r in cb["by_country"]) == \
        sum(o["n_articles"] for o in cmp["outlets"]) == sum(r["n_articles"] for r in cb["by_type"])
    assert "Germany" in {r["name"] for r in cb["by_country"]}
    assert {"newspaper"} <= {r["name"] for r in cb["by_type"]}
    html = client.get(f"/stories/{sid}").text
    assert "By country" in html and "By type of outlet" in html and "Germany" in html


def test_a_broken_outlets_file_is_reported_on_the_page_not_a_500(
        client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "outlets.csv"
    bad.write_text("outlet,country,language,type\nrheinblatt.example,DE,de,tabloid\n",
                   encoding="utf-8")
    monkeypatch.setenv(outlets.ENV, str(bad))
    sid = [s["id"] for s in client.get("/api/stories", params={"limit": 50}).json()["stories"]
           if s["n_outlets"] >= 5][0]
    r = client.get(f"/stories/{sid}")
    assert r.status_code == 200
    assert "outlets.csv line 2: type &#39;tabloid&#39; is not one of" in r.text
    monkeypatch.setenv(outlets.ENV, str(tmp_path / "missing.csv"))
    r = client.get(f"/api/stories/{sid}/comparison")
    assert r.status_code == 200 and "cannot be read" in r.json()["coverage_by"]["errors"][0]
