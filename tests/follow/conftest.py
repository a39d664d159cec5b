from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.follow.site import Site, article_html, rss, sitemap

ARTICLES = ["/news/a1.html", "/news/a2.html", "/news/a3.html", "/news/a4.html"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every poll here is bounded by seconds-long timeouts: a follow test still running after
    three minutes is stuck, and fails alone instead of holding the suite."""
    for item in items:
        if item.nodeid.startswith("tests/follow/"):
            item.add_marker(pytest.mark.timeout(180))


@pytest.fixture
def site() -> Iterator[Site]:
    """robots.txt disallows /private/; the feed lists a1-a3, a private page, a 404 and a 500
    item; the sitemap lists a4, a1 again (with tracking parameters) and another private page."""
    s = Site().start()
    s.page("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    feed = ["/news/a1.html?utm_source=rss&utm_medium=feed", "/news/a2.html", "/news/a3.html",
            "/private/p1.html", "/news/missing.html", "/news/broken.html"]
    s.page("/feed.xml", rss(s.base, feed), "application/rss+xml", ETag='"v1"')
    s.page("/sitemap.xml", sitemap(s.base, ["/news/a4.html", "/news/a1.html?utm_campaign=x",
                                            "/private/p2.html"]), "application/xml")
    for n, path in enumerate(ARTICLES, start=1):
        s.page(path, article_html(n))
    for n, path in enumerate(["/private/p1.html", "/private/p2.html"], start=50):
        s.page(path, article_html(n))
    s.routes["/news/broken.html"] = (500, {"Content-Type": "text/html"}, b"<html>oops</html>")
    yield s
    s.stop()
