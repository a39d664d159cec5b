from storyline.model import Article
from storyline.stages import clean, pubdate
from tests.conftest import seed


def _date(raw: str, **kw: str) -> Article:
    return pubdate.run(clean.run(Article(source="x", raw_text=raw, **kw)))


def test_seed_002_page_stamp_is_scrape_time_not_publication() -> None:
    path = seed("002")
    a = _date(path.read_text("utf-8"))
    assert a.published is None
    assert a.published_source == "none"
    assert any("2019-12-16" in e and "scrape" in e for e in a.published_evidence)


def test_crawl_header_gives_month_precision() -> None:
    a = _date(seed("001").read_text("utf-8"))
    assert (a.published, a.published_source) == ("2016-09", "header")


def test_no_evidence_means_null_not_invented() -> None:
    a = _date("Die Regierung hat am Mittwoch ein Gesetz beschlossen, sagte ein Sprecher.")
    assert a.published is None and a.published_source == "none"


def test_stamp_consistent_with_content_is_used() -> None:
    a = _date("10:15 28 September 2016\nMoskau - Russland will die Zusammenarbeit mit den USA "
              "fortsetzen, teilte das Ministerium am 28. September 2016 mit, wie es hieß.")
    assert (a.published, a.published_source) == ("2016-09-28", "text")


def test_url_date_and_given_date() -> None:
    a = _date("Ein Text ohne Datum, aber mit genug Wörtern für einen Absatz hier.",
              url="https://example.org/politik/2016/07/29/aleppo-korridore")
    assert (a.published, a.published_source) == ("2016-07-29", "url")
    b = _date("Text.", given_date="2016-09-28T14:05:00+02:00")
    assert (b.published, b.published_source) == ("2016-09-28", "given")


def test_url_slug_number_is_not_a_day() -> None:
    """Blogspot-style /YYYY/MM/slug: a slug that starts with a number gives the month only."""
    text = "Ein Text ohne Datum, aber mit genug Wörtern für einen Absatz hier."
    a = _date(text, url="https://example.blogspot.com/2017/06/6-tote-bei-brand.html")
    assert (a.published, a.published_source) == ("2017-06", "url")
    b = _date(text, url="https://example.org/news/2017-06-14-brand-in-london")
    assert b.published == "2017-06-14"
    c = _date(text, url="https://example.org/news/2017-06/14/brand-in-london-14124005")
    assert c.published == "2017-06-14"


def test_date_after_crawl_month_is_rejected() -> None:
    a = _date(" date 2016-09 Ein Text über etwas, das geschah.",
              url="https://example.org/2017/01/05/x")
    assert a.published == "2016-09"
    assert any("after the crawl month" in e for e in a.published_evidence)


def test_parse_date_forms() -> None:
    assert pubdate.parse_date("28.09.2016") == "2016-09-28"
    assert pubdate.parse_date("16 Dezember 2019") == "2019-12-16"
    assert pubdate.parse_date("Wed, 28 Sep 2016 10:00:00 GMT") == "2016-09-28"
    assert pubdate.parse_date("2016-09") == "2016-09"
    assert pubdate.parse_date("31.02.2016") is None
    assert pubdate.parse_date("kein Datum") is None


def test_short_date_line_near_the_top_is_a_stamp() -> None:
    a = _date("Erdogan meldet sich per FaceTime\n16.07.2016, 00:17 Uhr\nEine Journalistin hat "
              "in der Nacht mit dem Präsidenten gesprochen, wie der Sender am 16. Juli 2016 "
              "berichtete.")
    assert (a.published, a.published_source) == ("2016-07-16", "text")
    b = _date("Von Kendra Stenzel 09.11.2016, 18:55\nDonald Trump hat die Wahl gewonnen.")
    assert b.published == "2016-11-09"
