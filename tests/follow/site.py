"""A local news site on 127.0.0.1 for the follow tests: feed, sitemap, robots.txt, article
pages and misbehaving endpoints. Every request is logged (path and headers)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

Route = tuple[int, dict[str, str], bytes] | Callable[[BaseHTTPRequestHandler], None]

TOPICS = [
    ("Hafen", "Im Hafen von Nordstadt legten am Dienstag {n} neue Frachtschiffe an. Die Behörde "
              "meldete einen Rekord beim Umschlag von Containern im Bezirk {n}."),
    ("Brücke", "Die alte Brücke über den Fluss Weser bei Kleinort {n} wird ab Montag gesperrt. "
               "Ingenieure hatten Risse im Beton gefunden, teilte das Bauamt mit."),
    ("Schule", "Die Gesamtschule in Oberfeld {n} bekommt eine neue Turnhalle. Der Stadtrat "
               "bewilligte dafür am Donnerstag einstimmig rund {n} Millionen Euro."),
]


def article_html(n: int, title: str | None = None) -> bytes:
    """An invented article page (written for these tests), distinct text per `n`."""
    topic, text = TOPICS[n % len(TOPICS)]
    body = " ".join(text.format(n=n * 7 + k) for k in range(4))
    title = title or f"{topic}: Meldung {n}"
    return (f"<!doctype html><html><head><title>{title}</title>"
            f'<meta property="article:published_time" content="2026-11-{n % 27 + 1:02d}">'
            f"</head><body><nav>Start | Lokales</nav><article><h1>{title}</h1>"
            f"<p>{body}</p><p>Weitere Einzelheiten zur Nummer {n} nannte die Sprecherin "
            f"nicht. Eine Entscheidung soll im Januar fallen.</p></article>"
            f"<footer>Impressum</footer></body></html>").encode()


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>Item {p}</title><link>{escape(base + p)}</link></item>"
                    for p in paths)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Lokal</title><link>{base}/</link>{items}</channel></rss>").encode()


def sitemap(base: str, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{escape(base + p)}</loc></url>" for p in paths)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode()


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with site.lock:
                    site.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = site.routes.get(self.path.split("?")[0])
                if route is None:
                    route = (404, {"Content-Type": "text/html"}, b"<html>not found</html>")
                if callable(route):
                    route(self)
                    return
                status, headers, body = route
                etag = headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def page(self, path: str, body: bytes, kind: str = "text/html; charset=utf-8",
             **headers: str) -> None:
        self.routes[path] = (200, {"Content-Type": kind, **headers}, body)

    def requested(self, prefix: str = "/") -> list[str]:
        with self.lock:
            return [p for p, _ in self.log if p.startswith(prefix)]

    def clear(self) -> None:
        with self.lock:
            self.log.clear()


def slow(seconds: float, body: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
    def handle(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    return handle
