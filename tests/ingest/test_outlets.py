"""Outlets: URL hosts with web archives unwrapped, host-like folder names, og:site_name."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.ingest import read
from storyline.ingest.outlets import looks_like_host, original_url, outlet_from_url
from storyline.model import Article
from storyline.settings import Settings
from storyline.stages import extract


@pytest.mark.parametrize(("url", "outlet"), [
    ("https://www.kreiszeitung.example/politik/a.html?cmp=rss", "kreiszeitung.example"),
    ("https://web.archive.org/web/20130307194448/http://the-pain.net/2008/05/a.html",
     "the-pain.net"),
    ("https://web.archive.org/web/20130307194448/http:/the-pain.net/2008/05/a.html",
     "the-pain.net"),  # "//" collapsed by a URL normaliser
    ("https://web.archive.org/web/20130307194448/the-pain.net/2008/05/a.html", "the-pain.net"),
    ("https://web.archive.org/web/2016id_/https://www.spiegel.de/a", "spiegel.de"),
    ("https://archive.ph/2016.09.29-123456/https://www.zeit.de/politik/x", "zeit.de"),
    ("https://web.archive.org/web/2020/https://archive.ph/2016.09.29-1/http://www.zeit.de/x",
     "zeit.de"),  # an archive of an archive
    ("https://archive.ph/AbCdE", None),  # a short link does not say which site
    ("http://[::1", None), ("", None), (None, None),
])
def test_outlet_is_the_host_of_the_archived_site(url: str | None, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


def test_collapsed_scheme_is_repaired() -> None:
    assert original_url("https://web.archive.org/web/2013/http:/the-pain.net/x") == \
        "http://the-pain.net/x"


@pytest.mark.parametrize(("name", "host"), [
    ("spiegel.de", True), ("rheinblatt.example", True), ("news.bbc.co.uk", True),
    ("seeds", False), ("corpus.old", False), ("v1.2", False), ("web", False), ("", False),
])
def test_a_folder_is_an_outlet_only_when_it_reads_as_a_host(name: str, host: bool) -> None:
    assert looks_like_host(name) is host


def test_folder_names_and_the_outlet_flag(tmp_path: Path, settings: Settings) -> None:
    text = "Bremen - Der Hafen hat so viele Container umgeschlagen wie nie zuvor.\n"
    for folder in ("weser-kurier.example", "crawl"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(text, encoding="utf-8")
    found = {Path(a.source).parent.name: a.outlet for a in read([str(tmp_path)], settings)
             if isinstance(a, Article)}
    assert found == {"weser-kurier.example": "weser-kurier.example", "crawl": None}
    flagged = [a for a in read([str(tmp_path / "crawl")], settings, outlet="Weser-Kurier")
               if isinstance(a, Article)]
    assert [a.outlet for a in flagged] == ["Weser-Kurier"]


def test_html_page_names_its_archived_site_or_its_site_name(tmp_path: Path,
                                                           settings: Settings) -> None:
    body = ("<p>Bremen - Der Hafen hat im vergangenen Jahr so viele Container umgeschlagen "
            "wie nie zuvor, teilte die Hafengesellschaft am Montag mit.</p>" * 3)
    archived = ('<html><head><link rel="canonical" href="https://web.archive.org/web/2013/'
                'http://www.weser-kurier.example/hafen"><title>Hafen meldet Rekord</title>'
                f"</head><body><article>{body}</article></body></html>")
    named = ('<html><head><meta property="og:site_name" content="Weser-Kurier">'
             f"<title>Hafen meldet Rekord</title></head><body><article>{body}</article>"
             "</body></html>")
    pages = []
    for name, markup in (("a.html", archived), ("b.html", named)):
        (tmp_path / name).write_text(markup, encoding="utf-8")
        item = next(iter(read([str(tmp_path / name)], settings)))
        assert isinstance(item, Article)
        pages.append(extract.run(item, settings))
    assert [p.outlet for p in pages] == ["weser-kurier.example", "Weser-Kurier"]
    assert pages[0].url == "https://web.archive.org/web/2013/http://www.weser-kurier.example/hafen"
