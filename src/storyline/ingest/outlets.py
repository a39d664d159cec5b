"""Which outlet published a page: the host of its URL, with web archives unwrapped.

An archived copy (web.archive.org/web/2016…/http://example.com/…, archive.today's
archive.ph/2016.09.29-…/https://…, an archive of an archive) belongs to the archived site.
URL normalisers collapse the "//" of an embedded URL ("…/http:/the-pain.net/…"); that is
repaired first. A folder name counts as an outlet only when it reads as a host name with a
real top-level domain (`tld`, the list courlan already installs), or one of the reserved
example domains (RFC 2606) the demo uses.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from tld import is_tld

ARCHIVES = frozenset({
    "web.archive.org", "wayback.archive.org", "archive.org", "archive.today", "archive.ph",
    "archive.is", "archive.li", "archive.vn", "archive.fo", "archive.md", "arquivo.pt",
    "webarchive.loc.gov", "webarchive.nationalarchives.gov.uk", "archive-it.org",
    "wayback.archive-it.org", "webcitation.org", "www.webcitation.org",
})
RESERVED = frozenset({"example", "test", "invalid", "localhost"})
_SCHEME_SLASH = re.compile(r"(?<![a-z])(https?):/+(?=[^/])", re.IGNORECASE)
_EMBEDDED = re.compile(r"(?:https?:/+)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
                       r"(?::\d{1,5})?(?:[/?#].*)?)$", re.IGNORECASE)
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63})", re.IGNORECASE)
MAX_DEPTH = 4


def repair_url(url: str) -> str:
    """'https://web.archive.org/web/2013/http:/the-pain.net/x' -> '…/http://the-pain.net/x'."""
    url = url.strip()
    head, sep, rest = url.partition("://")
    if not sep:
        return _SCHEME_SLASH.sub(r"\1://", url)
    return head + sep + _SCHEME_SLASH.sub(r"\1://", rest)


def archived(url: str) -> str | None:
    """The URL an archive page holds a copy of (None when `url` is no archive page, or its
    address does not say, as archive.today's short links do not)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # an unparsable port or bracket
        return None
    if host not in ARCHIVES:
        return None
    path = unquote(parts.path + (f"?{parts.query}" if parts.query else ""))
    for slash in re.finditer("/", path):  # the first segment that starts a URL or a host
        inner = path[slash.end():]
        found = _EMBEDDED.match(inner)
        if found:
            return inner if re.match(r"https?://", inner, re.I) else f"http://{found.group(1)}"
    return None


def original_url(url: str) -> str:
    """Archive wrappers peeled off (an archive of an archive too), the "//" repaired."""
    url = repair_url(url)
    for _ in range(MAX_DEPTH):
        inner = archived(url)
        if inner is None:
            break
        url = repair_url(inner)
    return url


def outlet_from_url(url: str | None) -> str | None:
    """The host without "www.", of the archived site for archive pages; None for an
    archive page that does not name its original."""
    if not url:
        return None
    target = original_url(url)
    try:
        host = (urlsplit(target).hostname or "").lower()
    except ValueError:  # an unparsable port or bracket: no host to name
        return None
    if not host or host in ARCHIVES:
        return None
    return host[4:] if host.startswith("www.") else host


def looks_like_host(name: str | None) -> bool:
    """'spiegel.de', 'rheinblatt.example' yes; 'seeds', 'corpus.old', 'v1.2' no."""
    if not name or len(name) > 253:
        return False
    found = _HOST.fullmatch(name)
    if not found:
        return False
    suffix = found.group(1).lower()
    return suffix in RESERVED or bool(is_tld(suffix))
