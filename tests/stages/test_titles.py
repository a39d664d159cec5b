"""Article titles from markup and from the head of plain text (pages built here)."""

from __future__ import annotations

from storyline.model import Article
from storyline.stages import clean
from storyline.stages.titles import page_title, tidy
from tests.conftest import needs_shared, seed


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_the_heading_the_metadata_confirms_without_the_site_name() -> None:
    markup = _page('<title>Neue Brücke über die Saale eröffnet | Saale-Bote</title>'
                   '<meta property="og:site_name" content="Saale-Bote">',
                   "<h1>Saale-Bote</h1><h2>Navigation und Service</h2>"
                   "<h1>Neue Brücke über die Saale eröffnet</h1><p>Text.</p>")
    assert page_title(markup, "https://www.saale-bote.example/a/1") == \
        "Neue Brücke über die Saale eröffnet"


def test_kicker_and_headline_in_one_h1() -> None:
    markup = _page('<meta property="og:title" content="Der Rat stimmt für den Neubau">',
                   '<h1><span>Stadtrat</span><span>Der Rat stimmt für den Neubau</span></h1>')
    assert page_title(markup) == "Der Rat stimmt für den Neubau"


def test_metadata_without_site_name_when_no_heading_agrees() -> None:
    markup = _page("<title>Pressemitteilungen</title>"
                   '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",'
                   ' "headline": "Hafen meldet Rekordumschlag"}]}</script>',
                   "<h2>Pressemitteilungen</h2><h2>Write a Reply or Comment</h2>")
    assert page_title(markup) == "Hafen meldet Rekordumschlag"
    only_chrome = _page("<title>Navigation und Service</title>",
                        "<h1>Pressemitteilungen</h1>")
    assert page_title(only_chrome) is None


def test_site_name_stripped_from_title() -> None:
    markup = _page("<title>Hafen meldet Rekordumschlag - Weser-Kurier</title>"
                   '<meta property="og:site_name" content="Weser-Kurier">', "<p>x</p>")
    assert page_title(markup) == "Hafen meldet Rekordumschlag"


def test_bad_titles_are_tidied_or_dropped() -> None:
    assert tidy("") is None and tidy("\x00\x01\x02 \x7f") is None
    assert tidy("\x07\x1b[31m\x7f\x9b") is None and tidy("\x1b[1mFett\x1b[0m") == "Fett"
    assert tidy("  Zwei\n\tZeilen\u202e  ") == "Zwei Zeilen"
    assert tidy("Messenger\xaddienste") == "Messengerdienste"
    assert tidy("Wort " * 400) == ("Wort " * 400).strip()  # stored whole
    long = tidy("Wort " * 400, 300)
    assert long is not None and len(long) <= 302 and long.endswith("…")
    assert page_title("") is None and page_title("<<<>>>") is None
    assert page_title('<?xml version="1.0" encoding="iso-8859-1"?><html><head><title>'
                      "Ein Titel mit XML-Kopf</title></head></html>") == "Ein Titel mit XML-Kopf"


def test_plain_text_headline_below_a_kicker_and_a_caption() -> None:
    text = ("+\nDer Bürgermeister eröffnet das Fest.\n\nNach langem Streit\n\n"
            "Stadtfest: Lindenau feiert wieder am Marktplatz\n\n"
            "Lindenau - Nach drei Jahren Pause feiert die Stadt am Wochenende wieder ihr "
            "Stadtfest auf dem Marktplatz, teilte die Verwaltung am Montag mit.\n")
    article = clean.run(Article(source="t", raw_text=text))
    assert article.title == "Stadtfest: Lindenau feiert wieder am Marktplatz"
    body_first = clean.run(Article(source="t", raw_text=text.split("\n\n", 3)[3]))
    assert body_first.title is None  # a report that opens with its lead has no headline


@needs_shared
def test_seed_003_opens_with_its_headline() -> None:
    article = clean.run(Article(source="s", raw_text=seed("003").read_text("utf-8")))
    assert article.title == "Syrien-Krise: Russland will weiter mit USA zusammenarbeiten"
