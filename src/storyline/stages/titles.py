"""An article's title, from the page's own markup: the visible headline that the page's
metadata (og:title, JSON-LD headline, <title>) confirms, else that metadata without the site
name; site chrome ("Navigation und Service", "Pressemitteilungen") is never a title.

trafilatura's metadata title is right on 0.57 of its own evaluation pages (`storyline eval
titles`): it takes <title>/og:title with the site name still attached, or the first heading
when that is a menu. No library picks the heading the metadata agrees with, so this module
does; lxml parses, the rules are below.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import lxml.html
from lxml import etree

MAX_CHARS = 300  # a headline longer than this is cut at a word with an ellipsis
HEADINGS = "//h1|//h2"
MAX_HEADINGS = 40
# separators between a headline and the site name or section in <title>/og:title
_SEPARATOR = re.compile(r"\s+[|\-–—·»«›‹:/~]+\s+|\s*\|\s*|\s+::\s+|:\s+(?=\S)")
# headings and titles that name a part of a site, never an article (German and English)
CHROME = frozenset("""navigation und service|navigation|hauptnavigation|navigationsmenü|menü|menu
|menue|hauptmenü|primäres menü|suche|search|pressemitteilungen|pressemitteilung|presse
|aktuelles|aktuelle|news|nachrichten|themen|topics|startseite|home|kontakt|contact|impressum
|datenschutz|write a reply or comment|leave a reply|kommentare|comments|kommentar schreiben
|antworten abbrechen|beitrags-navigation|post navigation|related posts|ähnliche beiträge
|weitere artikel|mehr zum thema|das könnte sie auch interessieren|newsletter|sidebar|footer
|archiv|archive|blog|kategorien|categories|schlagwörter|tags|social media|folge mir
|folgen sie uns|follow us|teilen|share|inhalt|inhaltsverzeichnis|content|seitenbereiche
|sprungmarken|servicenavigation|breadcrumb|sie sind hier|you are here|login|anmelden
|warenkorb|cart|meta|rss|links|werbung|anzeige|advertisement|cookie|cookies
|cookie-einstellungen|leichte sprache|gebärdensprache|aktuelle meldungen|meistgelesen
|most read|popular|beliebt|empfehlungen""".replace("\n", "").split("|"))
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]{0,200}\?>")  # lxml refuses str with one
# terminal escape sequences ("\x1b[31m"): their printable tail is no text either
_TERMINAL = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\xad\u200b\u200e\u200f\u2060\u202a-\u202e"
                      r"\u2066-\u2069\ufeff]")


def tidy(title: str | None, limit: int | None = None) -> str | None:
    """One line of readable text, or None: control and direction characters removed,
    whitespace collapsed, never site chrome; cut at a word near `limit` characters when
    given (a stored title is kept whole: pages show it shortened, in full on demand)."""
    if not title:
        return None
    text = _TERMINAL.sub("", unicodedata.normalize("NFC", title))
    text = " ".join(_CONTROL.sub(_drop, text).split())
    if not any(ch.isalnum() for ch in text) or is_chrome(text):
        return None
    if limit is not None and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-–—") + " …"
    return text


def _drop(match: re.Match[str]) -> str:
    """Soft hyphens and zero-width characters vanish; other controls become a space."""
    return "" if match.group(0) in "\xad\u200b\u2060\ufeff" else " "


def is_chrome(text: str) -> bool:
    return " ".join(text.casefold().strip(" :.-–—|").split()) in CHROME


def key(text: str) -> str:
    """Letters and digits only, case-folded: "„bäh!“" and '"BÄH!"' are one key."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def page_title(markup: str, url: str | None = None) -> str | None:
    """The title of an HTML page (None when it has none a reader would accept)."""
    return page_info(markup, url)[0]


def page_info(markup: str, url: str | None = None) -> tuple[str | None, str | None]:
    """(title, site name from og:site_name) of an HTML page, from one parse."""
    try:
        tree = lxml.html.fromstring(_XML_DECLARATION.sub("", markup, count=1) or "<html/>")
    except (etree.ParserError, ValueError):
        return None, None
    return title_of(tree, url), tidy(_meta(tree, "og:site_name"))


def title_of(tree: Any, url: str | None = None) -> str | None:
    metas = [m for m in (_meta(tree, "og:title"), _meta(tree, "twitter:title"),
                         *_ld_headlines(tree), _text(tree.find(".//title")))
             if m and not is_chrome(m)]
    sites = {key(s) for s in (_meta(tree, "og:site_name"), _meta(tree, "application-name"),
                              _host_name(url)) if s}
    h1s = _texts(tree, "//h1")
    for level in (h1s, _texts(tree, "//h2")):
        confirmed = [h for h in level if key(h) not in sites and tidy(h)
                     and any(_confirms(key(h), key(m)) for m in metas)]
        if confirmed:
            return tidy(max(confirmed, key=lambda h: len(key(h))))
    h1s = [h for h in h1s if key(h) not in sites and tidy(h)]
    if len(h1s) == 1 and len(h1s[0].split()) >= 2:
        return tidy(h1s[0])  # the page's one headline, where the metadata names another
    for meta in metas:
        stripped = _strip_site(meta, sites)
        if tidy(stripped):
            return tidy(stripped)
    return tidy(h1s[0]) if h1s else None


def _confirms(heading: str, meta: str) -> bool:
    """The metadata title is the heading, or begins or ends with it (site name or section
    beside it), and the heading is not a short fragment of a long title."""
    if not heading or not meta:
        return False
    if heading == meta:
        return True
    return (meta.startswith(heading) or meta.endswith(heading)) and len(heading) >= 12 \
        and len(heading) * 3 >= len(meta)


def _strip_site(title: str, sites: set[str]) -> str:
    """<title> minus the parts that name the site: the longest part left after dropping
    those matching the site name (or, with no site name known, the longest part)."""
    parts = [p.strip() for p in _SEPARATOR.split(title) if p and p.strip()]
    if len(parts) < 2:
        return title
    keep = [p for p in parts if not _names_site(key(p), sites)]
    if len(keep) == len(parts) or not keep:
        return title
    return max(keep, key=len)


def _names_site(part: str, sites: set[str]) -> bool:
    return len(part) > 2 and any(s and (s in part or part in s) for s in sites)


def _texts(tree: Any, path: str) -> list[str]:
    """The headings' texts, each followed by its parts when it has several (a kicker and
    the headline in two spans of one h1: either may be what the metadata confirms)."""
    found: list[str] = []
    for el in tree.xpath(path)[:MAX_HEADINGS]:
        whole = _text(el)
        if not whole:
            continue
        found.append(whole)
        parts = [t for t in (_text(child) for child in el.iterchildren()) if t]
        if len(parts) > 1:
            found.extend(parts)
    return found


def _text(el: Any) -> str | None:
    if el is None:
        return None
    try:
        text = "".join(el.xpath(".//text()[not(ancestor::style or ancestor::script)]"))
    except (ValueError, etree.XPathError):
        return None
    return " ".join(text.split()) or None


def _meta(tree: Any, name: str) -> str | None:
    for attr in ("property", "name"):
        for value in tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)[:1]:
            text = " ".join(str(value).split())
            if text:
                return text
    return None


def _ld_headlines(tree: Any) -> list[str]:
    """`headline` of JSON-LD objects (nested graphs included); broken JSON is ignored."""
    found: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()')[:10]:
        try:
            data = json.loads(script)
        except (ValueError, RecursionError):
            continue
        _walk_ld(data, found, 0)
    return found[:3]


def _walk_ld(node: Any, found: list[str], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node[:50]:
            _walk_ld(item, found, depth + 1)
    elif isinstance(node, dict):
        headline = node.get("headline")
        if isinstance(headline, str) and headline.strip():
            found.append(" ".join(headline.split()))
        for value in node.values():
            if isinstance(value, list | dict):
                _walk_ld(value, found, depth + 1)


def _host_name(url: str | None) -> str | None:
    """"www.helge.at" -> "helge": the site part of a host, as titles name the site."""
    if not url:
        return None
    from urllib.parse import urlparse

    host = (urlparse(url).hostname or "").removeprefix("www.")
    parts = host.split(".")
    return parts[-2] if len(parts) >= 2 else None
