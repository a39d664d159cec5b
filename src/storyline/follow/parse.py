"""What a fetched source lists: article URLs (feeds, sitemaps) or more sources (sitemap index,
feeds discovered on a home page).

Feed and sitemap text is hostile. A document that declares entities in its DTD (the XML bomb
and the external-entity attack both need one) is refused before any parser sees it; the
parsers then run with entity expansion and network access off anyway. Sitemaps are read
incrementally (lxml iterparse, elements cleared) so a 100,000-URL sitemap costs its URLs, not
its tree.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field

import feedparser
from lxml import etree
from trafilatura.feeds import FeedParameters, determine_feed

from storyline.follow.urls import normalise, problem

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ROOT = re.compile(rb"<(?![?!])([\w.-]+:)?([\w.-]+)")


@dataclass
class Listing:
    """What one source document gave: article `urls`, child `sources`, or why nothing."""

    kind: str  # feed | sitemap | sitemapindex | html | unknown
    urls: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    truncated: bool = False  # more URLs than the caps allow: the rest wait for a later poll
    refused: list[str] = field(default_factory=list)  # listed URLs never fetched, with why

    def refuse(self, raw: str) -> None:
        if len(self.refused) < 20:  # a few examples are enough to see what is wrong
            self.refused.append(f"{raw[:200]!r}: {problem(raw.strip()) or 'not a usable URL'}")


def gunzip(body: bytes, limit: int) -> bytes | str:
    """A gzipped sitemap (`sitemap.xml.gz`), decompressed up to `limit` bytes: a gzip bomb
    stops at the limit. Returns the bytes, or why they were refused."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        return f"broken gzip data ({exc})"
    if len(data) > limit or inflater.unconsumed_tail:
        return f"gzip content larger than {limit // 2**20} MB: refused"
    return data


def root_name(body: bytes) -> str:
    """Local name of the first element ('rss', 'urlset', 'html', ...), lower-case."""
    match = _ROOT.search(body[:65536])
    return match.group(2).decode("ascii", "replace").lower() if match else ""


def classify(body: bytes) -> str:
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    root = root_name(head)
    if root in {"rss", "feed", "rdf"}:
        return "feed"
    if root == "urlset":
        return "sitemap"
    if root == "sitemapindex":
        return "sitemapindex"
    if root == "html" or head[:15].lower().startswith(b"<!doctype html"):
        return "html"
    return "unknown"


def declares_entities(body: bytes) -> bool:
    """An entity declaration before the root element (the DTD's internal subset)."""
    root = _ROOT.search(body[:1 << 20])
    prolog = body[:root.start()] if root else body[:1 << 20]
    return bool(_ENTITY_DECL.search(prolog))


def listing(body: bytes, url: str, max_urls: int, max_children: int) -> Listing:
    """The URLs a source document lists, normalised; refusals and truncation recorded."""
    kind = classify(body)
    if kind in {"feed", "sitemap", "sitemapindex"} and declares_entities(body):
        return Listing(kind, error="XML declares entities (entity expansion or external "
                                   "entity attack): refused")
    if kind == "feed":
        return _feed(body, url, max_urls)
    if kind in {"sitemap", "sitemapindex"}:
        return _sitemap(body, url, kind, max_urls, max_children)
    if kind == "html":
        found = discover(body, url)[:max_children]
        if not found:
            return Listing(kind, error="an HTML page, not a feed or sitemap, and it names no "
                                       "feed (<link rel=alternate>)")
        return Listing(kind, sources=found)
    return Listing(kind, error="neither a feed, a sitemap nor an HTML page")


def _feed(body: bytes, url: str, max_urls: int) -> Listing:
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    out = Listing("feed")
    for entry in parsed.entries:
        link = entry.get("link") or (entry.get("id") if "://" in (entry.get("id") or "") else "")
        clean = normalise(link or "", url)
        if clean is None and link:
            out.refuse(link)
        elif clean and clean not in out.urls:
            out.urls.append(clean)
        if len(out.urls) >= max_urls:
            out.notes.append(f"feed lists more than {max_urls} URLs: the rest ignored")
            out.truncated = True
            break
    if parsed.get("bozo") and not out.urls:
        out.error = f"not a readable feed ({parsed.get('bozo_exception')})"
    elif parsed.get("bozo"):
        out.notes.append(f"feed is not well-formed, read leniently "
                         f"({type(parsed.get('bozo_exception')).__name__})")
    return out


def _sitemap(body: bytes, url: str, kind: str, max_urls: int, max_children: int) -> Listing:
    """<loc> of each <url> (pages) or <sitemap> (children); Google News sitemaps are urlsets."""
    out = Listing(kind)
    # same parser flags as trafilatura's sitemaps (its SitemapObject also filters hosts with
    # courlan heuristics that drop IP hosts and site-internal paths, so the loop is ours)
    events = etree.iterparse(io.BytesIO(body), events=("end",), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False, recover=True)
    seen: set[str] = set()
    try:
        for _, element in events:
            name = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if name == "loc" and element.text:
                parent = element.getparent()
                is_child = parent is not None and isinstance(parent.tag, str) and \
                    etree.QName(parent).localname == "sitemap"
                _add(out, element.text, normalise(element.text, url), is_child, seen)
                if len(out.urls) >= max_urls or len(out.sources) >= max_children:
                    out.notes.append(f"sitemap lists more than {max_urls} URLs (or "
                                     f"{max_children} sitemaps): the rest ignored")
                    out.truncated = True
                    break
            elif name in {"url", "sitemap"}:
                element.clear(keep_tail=False)
                while element.getprevious() is not None:  # drop the finished siblings too
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        if not out.urls and not out.sources:
            out.error = f"not a readable sitemap ({exc})"
        else:
            out.notes.append(f"sitemap broken after {len(out.urls)} URLs ({exc})")
    return out


def _add(out: Listing, raw: str, clean: str | None, is_child: bool, seen: set[str]) -> None:
    if clean is None:
        out.refuse(raw)
    if clean is None or clean in seen:
        return
    seen.add(clean)
    (out.sources if is_child else out.urls).append(clean)


def discover(body: bytes, url: str) -> list[str]:
    """Feeds a home page names (`<link rel="alternate" type="application/rss+xml">`, then
    feed-looking links): trafilatura's discovery, our normalisation."""
    from storyline.ingest.base import decode

    params = FeedParameters(url, "", url)
    found = determine_feed(decode(body), params)
    out: list[str] = []
    for link in found:
        clean = normalise(link, url)
        if clean and clean not in out and clean != normalise(url):
            out.append(clean)
    return out
