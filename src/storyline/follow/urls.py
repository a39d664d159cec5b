"""URL checks and normalisation: one article is one URL, and only plain http(s) is fetched."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

from courlan import clean_url

MAX_URL_CHARS = 2048


def problem(url: str) -> str | None:
    """Why `url` is never requested (None: it may be): other schemes (file:, ftp:, data:),
    credentials in the URL, no host, absurd length."""
    if len(url) > MAX_URL_CHARS:
        return f"URL longer than {MAX_URL_CHARS} characters"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        return f"malformed URL ({exc})"
    if parts.scheme.lower() not in {"http", "https"}:
        return f"not an http(s) URL (scheme {parts.scheme or 'missing'!r})"
    if parts.username is not None or parts.password is not None:
        return "URL carries credentials (user:password@): refused"
    if not parts.hostname:
        return "URL has no host"
    del port
    return None


def normalise(url: str, base: str | None = None) -> str | None:
    """The canonical form of a listed URL: made absolute, fragment dropped, tracking
    parameters (utm_*, fbclid, ...) removed and the query sorted by courlan, host lower-case.
    None when the URL is one we never fetch (`problem`)."""
    url = (url or "").strip()
    if not url:
        return None
    if base and not url.startswith(("http://", "https://")):
        url = urljoin(base, url)
    if problem(url) is not None:
        return None
    url = urldefrag(url).url
    cleaned = clean_url(url)  # courlan: trackers out, query sorted, scheme and host lowered
    if cleaned is None or problem(cleaned) is not None:
        return None
    return cleaned


def host(url: str) -> str:
    """scheme://host[:port]: the unit of politeness (robots.txt, per-host delay)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
