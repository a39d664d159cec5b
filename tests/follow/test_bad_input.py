"""Hostile and broken sources and pages: each is refused or recorded with its reason, the
poll goes on, memory stays bounded."""

from __future__ import annotations

import socket
import struct
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from storyline.follow import Poller
from storyline.follow.parse import listing
from storyline.settings import Settings
from storyline.store import Store
from tests.follow.site import Site, article_html, rss, sitemap

FAST = {"follow.host_delay_seconds": 0, "follow.read_timeout": 1, "follow.connect_timeout": 2,
        "follow.request_seconds": 2, "follow.max_page_mb": 1, "follow.max_source_mb": 12}
BOMB = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<rss><channel><item><title>&c;</title><link>http://127.0.0.1/x</link></item>"
        b"</channel></rss>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc></url>'
       b"</urlset>")


def _endless(h: BaseHTTPRequestHandler) -> None:
    """A 500 MB page (announced), then one that never ends (no length), then a trickle."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    if h.path.startswith("/big"):
        h.send_header("Content-Length", str(500 * 2**20))
    h.end_headers()
    chunk, pause = (b"<p>" + b"x" * 65536, 0.0) if not h.path.startswith("/trickle") \
        else (b"x", 0.3)
    try:
        for _ in range(20000):
            h.wfile.write(chunk)
            time.sleep(pause)
    except OSError:
        pass  # the client hung up, as it should


def _reset(h: BaseHTTPRequestHandler) -> None:
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()  # an RST instead of an answer
    h.close_connection = True


def _redirect(to: str) -> object:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return handle


@pytest.fixture
def hostile(site: Site) -> Iterator[Site]:
    bad = ["/big.html", "/endless.html", "/trickle.html", "/loop1.html", "/tofile.html",
           "/reset.html", "/news/a1.html"]
    body = rss(site.base, bad).replace(b"</channel>",
                                       b"<item><link>file:///etc/passwd</link></item><item>"
                                       b"<link>http://user:pw@127.0.0.1/x</link></item>"
                                       b"<item><title>\xff\xfe bad bytes</title></item>"
                                       b"</channel>")
    site.page("/hostile.xml", body, "application/rss+xml")
    for path in ("/big.html", "/endless.html", "/trickle.html"):
        site.routes[path] = _endless
    site.routes["/reset.html"] = _reset
    site.routes["/loop1.html"] = _redirect("/loop2.html")
    site.routes["/loop2.html"] = _redirect(f"{site.base}/loop1.html")
    site.routes["/tofile.html"] = _redirect("file:///etc/passwd")
    site.page("/html-feed.xml", b"<!doctype html><html><body><p>no feed here</p></body></html>")
    site.page("/bomb.xml", BOMB, "application/rss+xml")
    site.page("/xxe.xml", XXE, "application/xml")
    yield site


def _poll(tmp_path: Path, settings: Settings, site: Site, *paths: str) -> tuple[Store, dict]:
    store = Store(tmp_path / "h.db")
    from storyline.follow import add_sources

    add_sources(store, [site.base + p for p in paths])
    poller = Poller(store, settings.with_overrides(FAST))
    try:
        report = poller.poll(None, due_only=False)
    finally:
        poller.close()
    return store, report.as_dict()


def test_hostile_pages_are_recorded_and_the_poll_goes_on(tmp_path: Path, settings: Settings,
                                                         hostile: Site) -> None:
    started = time.monotonic()
    store, report = _poll(tmp_path, settings, hostile, "/hostile.xml")
    assert time.monotonic() - started < 30
    assert report["ingested"] == 1  # a1, the one good page
    reasons = {r["url"].rsplit("/", 1)[1]: (r["status"], r["reason"]) for r in store.query(
        "SELECT url, status, reason FROM follow_urls")}
    assert "larger than 1 MB" in reasons["big.html"][1]
    assert "larger than 1 MB" in reasons["endless.html"][1]
    assert "took too long" in reasons["trickle.html"][1] or "timed out" in reasons[
        "trickle.html"][1]
    assert "redirects" in reasons["loop1.html"][1]
    assert "not an http(s) URL" in reasons["tofile.html"][1]
    assert "request failed" in reasons["reset.html"][1]
    assert reasons["a1.html"] == (200, None)
    skipped = {r["source"].rsplit("/", 1)[1] for r in store.query("SELECT source FROM skipped")}
    assert {"big.html", "loop1.html", "reset.html", "tofile.html"} <= skipped
    status = store.query("SELECT last_status FROM follow_sources")[0]["last_status"]
    assert "2 URLs refused" in status and "file" in status
    assert not hostile.requested("/etc")


def test_hostile_sources_fail_with_their_reason(tmp_path: Path, settings: Settings,
                                                hostile: Site) -> None:
    store, report = _poll(tmp_path, settings, hostile, "/html-feed.xml", "/bomb.xml",
                          "/xxe.xml", "/loop1.html", "/feed.xml")
    errors = {e["url"].rsplit("/", 1)[1]: e["error"] for e in report["failed_sources"]}
    assert "an HTML page, not a feed" in errors["html-feed.xml"]
    assert "declares entities" in errors["bomb.xml"]
    assert "declares entities" in errors["xxe.xml"]
    assert "redirects" in errors["loop1.html"]
    assert "feed.xml" not in errors and report["ingested"] == 3  # the good source goes on
    backoff = store.query("SELECT failures, next_poll > last_poll AS later FROM follow_sources "
                          "WHERE url LIKE '%bomb.xml'")[0]
    assert backoff == {"failures": 1, "later": 1}


def test_huge_sitemap_is_capped_with_bounded_memory(tmp_path: Path, settings: Settings,
                                                     site: Site) -> None:
    body = sitemap(site.base, [f"/n/{i:06d}.html" for i in range(100_000)])
    assert len(body) > 5_000_000
    tracemalloc.start()
    found = listing(body, site.base + "/big-sitemap.xml", 50_000, 100)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(found.urls) == 50_000 and found.truncated
    assert peak < 40 * 2**20, peak  # the URLs (about 4 MB of str), not a tree of 100k nodes

    site.page("/big-sitemap.xml", body, "application/xml")
    capped = settings.with_overrides({"follow.max_new_per_poll": 3,
                                      "follow.max_urls_per_source": 1000})
    store, report = _poll(tmp_path, capped, site, "/big-sitemap.xml")
    assert report["new_urls"] == 3
    row = store.query("SELECT etag, last_status FROM follow_sources")[0]
    assert "left for the next poll" in row["last_status"] and row["etag"] is None


def test_home_page_discovery_and_sitemap_index(tmp_path: Path, settings: Settings,
                                               site: Site) -> None:
    site.page("/", b'<!doctype html><html><head><link rel="alternate" '
              b'type="application/rss+xml" href="/feed.xml"></head><body>Lokal</body></html>')
    site.page("/index.xml", (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps'
                             f'.org/schemas/sitemap/0.9"><sitemap><loc>{site.base}/sitemap.xml'
                             f"</loc></sitemap></sitemapindex>").encode(), "application/xml")
    site.page("/news/a9.html", article_html(9))
    store, report = _poll(tmp_path, settings, site, "/", "/index.xml")
    rows = {r["url"].removeprefix(site.base): r["origin"] for r in store.query(
        "SELECT url, origin FROM follow_sources")}
    assert rows["/feed.xml"].rstrip("/") == site.base
    assert rows["/sitemap.xml"] == site.base + "/index.xml"
    assert report["ingested"] == 4 and not report["failed_sources"]
