"""Publication date with its source, and never an invented one.

Candidates come from the input's own metadata (`given`, `html-meta`), the URL, a page stamp or
dateline in the text (`text`), the crawl-month header (`header`, month precision) and the WARC
record time (`crawl`). Crawled pages often carry the *scrape* time as a stamp (a 2019 stamp on a
2016 report), so a stamp far later than every date the article itself mentions is kept as
evidence but not used. When nothing survives, `published` is None.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

from storyline.datebounds import year_ok
from storyline.model import Article
from storyline.settings import Settings, default
from storyline.stages.clean import PAGE_STAMP

SETS = ("published", "published_source", "published_evidence")

MONTHS = {name: i for i, names in enumerate([
    ("januar", "january", "jan"), ("februar", "february", "feb"), ("märz", "maerz", "march",
    "mär", "mar"), ("april", "apr"), ("mai", "may"), ("juni", "june", "jun"), ("juli", "july",
    "jul"), ("august", "aug"), ("september", "sept", "sep"), ("oktober", "october", "okt", "oct"),
    ("november", "nov"), ("dezember", "december", "dez", "dec")], start=1) for name in names}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

_ISO = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_WORDY = re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH_RE})\.?\s+(\d{{4}})\b", re.IGNORECASE)
# A day needs a path segment of its own (or the 2016-07-29 and 2016-07/29 forms): in blogspot-style
# /2017/06/6-confirmed-dead.html the "6" starts the slug, it is not the 6th of June.
_URL = re.compile(r"/((?:19|20)\d{2})(?:/(\d{1,2})(?:/(\d{1,2})(?=[/?#]|$))?"
                  r"|-(\d{1,2})(?:[-/](\d{1,2}))?)(?=[/?#._-]|$)")
_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d{2})(?![\d.,]\d)")
_DATELINE = re.compile(r"\b(?:Stand|Veröffentlicht|Aktualisiert|Erstellt|Published|Updated)"
                       r"(?:\s+am)?\s*:?\s*", re.IGNORECASE)


def parse_date(text: str) -> str | None:
    """A YYYY-MM-DD or YYYY-MM string from ISO, RFC 822, '28.09.2016' or '28. September 2016'."""
    text = text.strip()
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_WORDY, "dmy")):
        m = pattern.search(text)
        if not m:
            continue
        if order == "ymd":
            y, mo, d = m.group(1), m.group(2), m.group(3)
        else:
            d, y = m.group(1), m.group(3)
            mo = m.group(2) if m.group(2).isdigit() else str(MONTHS[m.group(2).lower()])
        return _valid(int(y), int(mo), int(d) if d else None)
    try:
        day = parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _valid(day.year, day.month, day.day)


def _valid(y: int, mo: int, d: int | None) -> str | None:
    if not year_ok(y):  # "0001-01-01", "9999-12-31": placeholders, not dates
        return None
    try:
        if d is None:
            date(y, mo, 1)
            return f"{y:04d}-{mo:02d}"
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def _as_date(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)


def latest_mentioned(text: str) -> date | None:
    """The latest date the text itself mentions (explicit dates, else 31 Dec of a year)."""
    found: list[date] = []
    for m in _NUMERIC.finditer(text):
        v = _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        found += [_as_date(v)] if v else []
    for m in _YEAR.finditer(text):  # 19xx/20xx only: inside the year bounds
        found.append(date(int(m.group(1)), 12, 31))
    return max(found) if found else None


def _url_date(url: str | None) -> str | None:
    m = _URL.search(url) if url else None
    if not m:
        return None
    month, day = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
    return _valid(int(m.group(1)), int(month), int(day) if day else None)


def _candidates(article: Article) -> list[tuple[str, str, bool]]:
    """(value, source, is_stamp) in priority order; stamps get the scrape-time test."""
    out: list[tuple[str, str, bool]] = []
    if article.given_date and (v := parse_date(article.given_date)):
        out.append((v, article.given_date_source, False))
    if v := _url_date(article.url):
        out.append((v, "url", False))
    for r in article.removed:
        if r.reason == "page timestamp" and (v := parse_date(r.text)):
            out.append((v, "text", True))
    if (v := _head_stamp(article.raw_text)) and not any(c[0] == v for c in out):
        out.append((v, "text", True))
    head = article.text[:600]
    for m in _DATELINE.finditer(head):
        if v := parse_date(head[m.end():m.end() + 40]):
            out.append((v, "text", False))
            break
    if article.crawl_month:  # the crawl month: late at worst, never a scrape-time stamp
        out.append((article.crawl_month, "header" if article.html is None else "crawl", False))
    return out


def _head_stamp(raw: str, lines: int = 10) -> str | None:
    """A short line near the top that is mostly a date: "24.06.2016 08:44", "Freitag,
    24.06.2016 09:39 Uhr", "Von Kendra Stenzel 09.11.2016, 18:55", "28. Juli 2016"."""
    for line in [ln for ln in raw.splitlines() if ln.strip()][:lines]:
        if len(line.split()) <= 8 and (_NUMERIC.search(line) or _WORDY.search(line)):
            return parse_date(line)
    return None


def run(article: Article, settings: Settings | None = None) -> Article:
    settings = settings or default()
    gap = int(settings.get("pubdate.scrape_gap_days"))
    stamps = [r for r in article.removed if r.reason == "page timestamp"]
    body = article.raw_text
    for r in stamps:  # the stamp must not vouch for itself; the rest of the page may
        body = body[:r.start] + " " * (r.end - r.start) + body[r.end:]
    latest = latest_mentioned(body)
    crawl = _as_date(article.crawl_month) if article.crawl_month else None
    evidence: list[str] = []
    chosen: tuple[str, str] | None = None
    for value, source, is_stamp in _candidates(article):
        when = _as_date(value)
        if crawl and when > date(crawl.year + crawl.month // 12, crawl.month % 12 + 1, 1):
            evidence.append(f"{source} {value} rejected: after the crawl month {crawl:%Y-%m}")
        elif is_stamp and latest and (when - latest).days > gap:
            evidence.append(f"{source} {value} rejected as scrape time: the text mentions "
                            f"nothing later than {latest.year}")
        elif chosen is None:
            chosen = (value, source)
            evidence.append(f"{source} {value} used")
        else:
            evidence.append(f"{source} {value} also seen")
    if chosen is None and latest:
        evidence.append(f"text mentions dates up to {latest.year}; publication date unknown")
    article.published, article.published_source = chosen if chosen else (None, "none")
    article.published_evidence = evidence
    return article


__all__ = ["MONTHS", "PAGE_STAMP", "latest_mentioned", "parse_date", "run"]
