from storyline.model import Article
from storyline.stages import clean
from tests.conftest import SHARED, seed


def _clean(prefix: str) -> Article:
    path = seed(prefix)
    return clean.run(Article(source=str(path), raw_text=path.read_text("utf-8")))


def test_seed_003_keeps_article_up_to_wire_credit_and_drops_teasers() -> None:
    a = _clean("003")
    assert a.text.rstrip().endswith("AFP")
    assert "US-Außenminister John Kerry warnte daraufhin" in a.text
    for teaser in ("NPD", "Trudeau", "Belm", "Meistgelesene", "Auch interessant", "Kommentare"):
        assert teaser not in a.text
    assert any("Auch interessant" in r.reason for r in a.removed)


def test_seed_002_starts_at_article_and_ends_before_community_block() -> None:
    a = _clean("002")
    assert a.text.startswith("Der russische Außenminister Sergej Lawrow")
    assert a.text.rstrip().endswith("in Aleppo verkündet.")
    for junk in ("Gemeinschaftsstandards", "Zum Thema", "SNA Radio", "Zum Kurzlink", "Tags:"):
        assert junk not in a.text
    assert a.title == "Lawrow und Kerry: Anti-Terror-Einsätze in Syrien koordinieren und " \
                      "Waffenruhe sichern"
    reasons = {r.reason for r in a.removed}
    assert "page timestamp" in reasons and "page header chrome" in reasons


def test_seeds_000_and_004_lose_nothing_but_the_crawl_header() -> None:
    for prefix in ("000", "004"):
        a = _clean(prefix)
        raw_words = a.raw_text.split()
        if raw_words[:1] == ["date"]:
            raw_words = raw_words[2:]
        assert a.text.split() == raw_words
        assert all(r.reason == "crawl-date header" for r in a.removed)


def test_removed_spans_point_into_raw_text() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        a = _clean(prefix)
        for r in a.removed:
            assert a.raw_text[r.start:r.end] == r.text


def test_crawl_header_sets_crawl_month() -> None:
    a = clean.run(Article(source="x", raw_text=" date 2016-09 Moskau - Ein Satz.\n\nNoch einer."))
    assert a.crawl_month == "2016-09"
    assert a.text.startswith("Moskau - Ein Satz.")


def test_inline_photo_credit_removed_but_prose_kept() -> None:
    raw = ("Die Regierung hat am Montag ein neues Gesetz beschlossen, das viele Bürger betrifft.\n"
           "Foto: dpa\n"
           "Kritiker sagen, dass das Gesetz zu weit geht und Klagen bereits angekündigt sind.")
    a = clean.run(Article(source="x", raw_text=raw))
    assert "Foto: dpa" not in a.text
    assert "Kritiker sagen" in a.text


def test_photo_captions_with_agency_credit_cut_on_real_page() -> None:
    """dev-bi 0102 (a regional paper's Macron report): the photo caption ending in a bare
    "AFP" sits between title and body; it is not article text, and left in, it kept this copy
    from matching the other copies of the same wire report."""
    raw = (SHARED / "corpus" / "dev-bi" / "articles" / "0102.txt").read_text(encoding="utf-8")
    a = clean.run(Article(source="0102", raw_text=raw))
    captions = [r for r in a.removed if r.reason == "photo caption"]
    assert [r.text[:36] for r in captions] == ["Emmanuel Macron bezeichnet seinen kl"]
    assert raw[captions[0].start:captions[0].end] == captions[0].text
    assert "neue Seite aufgeschlagen" not in a.text
    assert "Ersten Hochrechnungen zufolge" in a.text


def test_prose_ending_in_agency_name_and_closing_credit_kept() -> None:
    raw = ("Das Treffen dauerte zwei Stunden, sagte ein Sprecher. Mehr wusste auch AP.\n"
           + " ".join(["Die Verhandlungen gehen weiter, wie beide Seiten am Abend bestätigten."]
                      * 6) + " AFP\n"
           "Die Regierung will am Montag entscheiden. Das teilte sie mit. dpa")
    a = clean.run(Article(source="x", raw_text=raw))
    assert a.text.endswith("Das teilte sie mit. dpa")  # the last line: a source credit
    assert "Die Verhandlungen gehen weiter" in a.text  # long: prose, not a caption
    assert "Mehr wusste auch AP." in a.text  # the agency ends a sentence, no credit after it


def test_tail_cue_needs_body_first() -> None:
    """A cue word at the very top is not a trailing block: nothing of the body is lost."""
    raw = ("Kommentare\nDie Stadt hat am Dienstag beschlossen, das Schwimmbad im Sommer länger "
           "zu öffnen, wie der Bürgermeister mitteilte.")
    a = clean.run(Article(source="x", raw_text=raw))
    assert "Schwimmbad" in a.text


def test_empty_and_whitespace_text() -> None:
    assert clean.run(Article(source="x", raw_text="")).text == ""
    assert clean.run(Article(source="x", raw_text="\n\n   \n")).text == ""
