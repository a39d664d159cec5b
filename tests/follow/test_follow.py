"""`storyline follow` end to end against a local site (127.0.0.1 only), through the CLI."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.follow import PollReport, add_sources, follow
from storyline.settings import Settings
from storyline.store import Store
from tests.follow.conftest import ARTICLES
from tests.follow.site import Site, article_html, rss

runner = CliRunner()


def _follow(db: Path, site: Site, *extra: str) -> dict[str, object]:
    result = runner.invoke(app, ["--db", str(db), "follow", f"{site.base}/feed.xml",
                                 f"{site.base}/sitemap.xml", "--once", "--json", *extra])
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def _urls(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(r[0] for r in conn.execute("SELECT url FROM articles"))


def test_first_second_and_new_items(tmp_path: Path, site: Site) -> None:
    db = tmp_path / "f.db"
    report = _follow(db, site)
    assert _urls(db) == sorted(site.base + p for p in ARTICLES)
    assert report["ingested"] == 4 and report["blocked_by_robots"] == 2
    assert not site.requested("/private/")
    assert site.requested("/news/a1.html") == ["/news/a1.html"]  # one URL, tracking removed
    skipped = runner.invoke(app, ["--db", str(db), "skipped"]).stdout
    assert f"{site.base}/news/missing.html: HTTP 404" in skipped
    assert f"{site.base}/news/broken.html: HTTP 500" in skipped

    site.clear()
    report = _follow(db, site)
    assert not site.requested("/news/") and report["fetched"] == 0
    assert len(_urls(db)) == 4
    feed_headers = [h for p, h in site.log if p == "/feed.xml"]
    assert feed_headers[0].get("if-none-match") == '"v1"'  # a conditional request: 304

    site.clear()
    feed = ["/news/a1.html", "/news/a2.html", "/news/a5.html", "/news/a6.html"]
    site.page("/feed.xml", rss(site.base, feed), "application/rss+xml", ETag='"v2"')
    for n in (5, 6):
        site.page(f"/news/a{n}.html", article_html(n))
    report = _follow(db, site)
    assert sorted(site.requested("/news/")) == ["/news/a5.html", "/news/a6.html"]
    assert len(_urls(db)) == 6 and report["ingested"] == 2

    listing = json.loads(runner.invoke(app, ["--db", str(db), "sources", "--json"]).stdout)
    feed_row = next(r for r in listing if r["url"].endswith("/feed.xml"))
    assert feed_row["last_new"] == 2 and feed_row["total_new"] == 5
    assert feed_row["last_error"] is None and feed_row["last_poll"]


def test_sources_file_opml_and_refusals(tmp_path: Path, site: Site) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body><outline text="news">'
                    f'<outline text="Lokal" type="rss" xmlUrl="{site.base}/feed.xml"/>'
                    f'<outline text="bad" xmlUrl="file:///etc/passwd"/></outline></body></opml>')
    plain = tmp_path / "list.txt"
    plain.write_text(f"# my sources\n{site.base}/sitemap.xml  # the sitemap\n"
                     "http://user:secret@127.0.0.1/feed\n")
    db = tmp_path / "s.db"
    result = runner.invoke(app, ["--db", str(db), "follow", "--sources", str(opml),
                                 "--sources", str(plain), "--once"])
    assert result.exit_code == 0, result.output
    assert "scheme 'file'" in result.stderr and "credentials" in result.stderr
    assert len(_urls(db)) == 4
    text = runner.invoke(app, ["--db", str(db), "sources"]).stdout
    assert "feed.xml" in text and "sitemap.xml" in text and "passwd" not in text
    bad = runner.invoke(app, ["--db", str(db), "follow", "file:///etc/passwd", "--once"])
    assert bad.exit_code == 2
    assert runner.invoke(app, ["--db", str(db), "follow", "--interval", "soon"]).exit_code == 2


def test_loop_polls_on_the_interval_until_stopped(tmp_path: Path, site: Site,
                                                  settings: Settings) -> None:
    """Without --once: a poll, a wait for the next source due, the next poll; a stop (as set
    by Ctrl-C or SIGTERM) ends the loop after the poll in hand."""
    store = Store(tmp_path / "loop.db")
    add_sources(store, [f"{site.base}/feed.xml"])
    stop, reports = threading.Event(), []

    def on_poll(report: PollReport) -> None:
        reports.append(report)
        if len(reports) == 2:
            stop.set()

    fast = settings.with_overrides({"follow.interval_minutes": 1 / 60,
                                    "follow.host_delay_seconds": 0})
    started = time.monotonic()
    follow(store, fast, None, once=False, stop=stop, on_poll=on_poll)
    assert len(reports) == 2 and time.monotonic() - started >= 1.0
    assert reports[0].pages.ingested == 3 and reports[1].pages.fetched == 0
    assert site.requested("/feed.xml") == ["/feed.xml", "/feed.xml"]
