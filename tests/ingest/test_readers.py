"""Every reader on real-shaped input, and every kind of bad input the issue names."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline import ingest
from storyline.ingest import Skip
from storyline.model import Article
from storyline.settings import Settings
from storyline.stages import extract
from tests.conftest import SEEDS, needs_shared, seed

GERMAN = ("Der Bürgermeister der Stadt hat am Mittwoch angekündigt, dass das Krankenhaus "
          "erweitert wird. Die Bauarbeiten sollen im Frühjahr beginnen, sagte er vor Journalisten.")


def _read(paths: list[Path | str], settings: Settings, **kw: str) -> list[Article | Skip]:
    return list(ingest.read([str(p) for p in paths], settings, **kw))


def _page(body: str, title: str = "Krankenhaus wird erweitert") -> str:
    return (f"<html><head><title>{title}</title>"
            '<meta property="article:published_time" content="2016-07-29T10:00:00+02:00">'
            f"</head><body><nav>Startseite Politik Sport</nav><article><h1>{title}</h1>"
            f"<p>{body}</p><p>{body}</p></article><footer>Impressum Datenschutz</footer>"
            "</body></html>")


@needs_shared
def test_plain_text_folder_of_seeds(settings: Settings) -> None:
    items = _read([SEEDS], settings)
    assert len(items) == 5 and all(isinstance(i, Article) for i in items)
    assert {i.source_name for i in items} == {p.name for p in SEEDS.glob("*.txt")}
    assert {i.outlet for i in items} == {None}  # "seeds" is a folder, not a host name


def test_outlet_flag_overrides_folder(settings: Settings) -> None:
    items = _read([seed("000")], settings, outlet="sputnik")
    assert items[0].outlet == "sputnik"


def test_html_main_text_and_meta_date(tmp_path: Path, settings: Settings) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page(GERMAN), "utf-8")
    (item,) = _read([page], settings)
    assert isinstance(item, Article) and item.raw_text == ""  # extraction runs in a worker
    extract.run(item, settings)
    assert "Krankenhaus erweitert" in item.raw_text and "Impressum" not in item.raw_text
    assert item.given_date == "2016-07-29" and item.given_date_source == "html-meta"


def test_html_without_article_text_is_skipped(tmp_path: Path, settings: Settings) -> None:
    page = tmp_path / "nav.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", "utf-8")
    (item,) = _read([page], settings)
    assert isinstance(item, Article)
    assert extract.run(item, settings).skip_reason == "HTML page has no article text"


def test_jsonl_fields_and_malformed_line(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "a.jsonl"
    good = {"id": "x1", "url": "https://www.zeitung.de/a", "title": "T", "date": "2016-09-28",
            "text": GERMAN}
    f.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"id": "x3"}) + "\n"
                 + json.dumps({"id": "x4", "html": _page(GERMAN)}) + "\n", "utf-8")
    items = _read([f], settings)
    assert isinstance(items[0], Article)
    assert (items[0].source_name, items[0].outlet, items[0].given_date) == \
        ("x1", "zeitung.de", "2016-09-28")
    assert isinstance(items[1], Skip) and items[1].record == 2
    assert "malformed JSON" in items[1].reason
    assert f"{f}:2" in items[1].message()
    assert isinstance(items[2], Skip) and items[2].record == 3
    assert isinstance(items[3], Article)
    assert "Krankenhaus" in extract.run(items[3], settings).raw_text


def test_jsonl_field_names_are_configurable(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "b.jsonl"
    f.write_text(json.dumps({"body_de": GERMAN, "link": "https://x.de/1"}) + "\n", "utf-8")
    custom = settings.with_overrides({"ingest.jsonl_text_fields": ["body_de"]})
    (item,) = _read([f], custom)
    assert isinstance(item, Article) and item.url == "https://x.de/1"


def _warc(path: Path, pages: list[tuple[str, str]]) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers))


def test_warc_response_records(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "crawl.warc.gz"
    _warc(f, [("https://www.a.de/1", _page(GERMAN)), ("https://b.de/2", _page(GERMAN, "Zwei"))])
    items = _read([f], settings)
    assert [i.outlet for i in items if isinstance(i, Article)] == ["a.de", "b.de"]
    assert all(isinstance(i, Article) and i.crawl_month for i in items)


def test_truncated_warc_keeps_good_records(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "crawl.warc.gz"
    _warc(f, [("https://a.de/1", _page(GERMAN)), ("https://a.de/2", _page(GERMAN, "Zwei"))])
    data = f.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 300])
    items = _read([cut], settings)
    assert isinstance(items[0], Article)
    assert isinstance(items[-1], Skip) and "truncated or corrupt WARC" in items[-1].reason


def test_rss_feed_entries(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "feed.xml"
    f.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Eins</title><link>https://www.feed.de/1</link><description>&lt;p&gt;"
        f"{GERMAN}&lt;/p&gt;</description><pubDate>Wed, 28 Sep 2016 10:00:00 GMT</pubDate>"
        "</item></channel></rss>", "utf-8")
    (item,) = _read([f], settings)
    assert isinstance(item, Article)
    assert item.given_date == "2016-09-28" and item.outlet == "feed.de"
    assert "<p>" not in item.raw_text and "Krankenhaus" in item.raw_text


def test_bad_files_are_skipped_with_reasons(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 20)
    items = _read([tmp_path], settings)
    reasons = {Path(i.source).name: i.reason for i in items if isinstance(i, Skip)}
    assert reasons == {"blob.txt": "binary content, not text", "empty.txt": "empty file"}


def test_cp1252_and_bom_are_decoded(tmp_path: Path, settings: Settings) -> None:
    text = "Die Bürger in Köln äußerten „große“ Sorge über die Straßenbahn – 5 €."
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    items = _read([tmp_path], settings)
    assert [i.raw_text for i in items if isinstance(i, Article)] == [text, text]


def test_huge_text_file_is_skipped_without_reading_it(tmp_path: Path, settings: Settings) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.write((GERMAN + "\n").encode() * (50 * 1024 * 1024 // len(GERMAN)))
    (item,) = _read([big], settings)
    assert isinstance(item, Skip) and "too large" in item.reason


def test_unreadable_missing_and_symlink_loop(tmp_path: Path, settings: Settings) -> None:
    loop = tmp_path / "loop"
    loop.mkdir()
    os.symlink(loop, loop / "again")  # a folder symlink pointing at its own parent
    os.symlink(tmp_path / "a", tmp_path / "b")
    os.symlink(tmp_path / "b", tmp_path / "a")  # a <-> b file symlink loop
    (loop / "ok.txt").write_text(GERMAN, "utf-8")
    items = _read([tmp_path, tmp_path / "missing.txt"], settings)
    articles = [i for i in items if isinstance(i, Article)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert len(articles) == 1
    assert any("missing.txt" in s.source and s.reason == "no such file" for s in skips)
    assert any(Path(s.source).name in {"a", "b"} for s in skips)


def test_sniffing_without_extensions(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "one").write_text(json.dumps({"id": "j", "text": GERMAN}) + "\n", "utf-8")
    (tmp_path / "two").write_text(_page(GERMAN), "utf-8")
    (tmp_path / "three").write_bytes(gzip.compress(GERMAN.encode()))  # gzipped text: inflated
    (tmp_path / "four").write_bytes(gzip.compress(GERMAN.encode())[:30])  # cut: skipped
    items = _read([tmp_path], settings)
    kinds = {Path(i.source).name: i for i in items}
    assert isinstance(kinds["one"], Article) and isinstance(kinds["two"], Article)
    assert isinstance(kinds["three"], Article) and kinds["three"].raw_text == GERMAN
    assert isinstance(kinds["four"], Skip) and "truncated" in kinds["four"].reason


def test_stdin(monkeypatch, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GERMAN.encode())))
    (item,) = _read(["-"], settings)
    assert isinstance(item, Article) and item.source_name == "stdin"
