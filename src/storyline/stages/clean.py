"""Text-level boilerplate removal for already-extracted article text.

trafilatura and friends clean *HTML*; crawls often store text that was already flattened, with
site chrome still in it (menus, share widgets, teasers, comment prompts). No library cleans
such text, so this stage does, with cue lines plus a layout test, and records every cut span
(`Article.removed`, offsets into `raw_text`) so a user can see what was removed and why.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from storyline.datebounds import valid_month
from storyline.model import Article, Removed
from storyline.settings import Settings
from storyline.stages.titles import tidy

SETS = ("text", "removed", "crawl_month", "title")

_CRAWL_HEADER = re.compile(r"\A\s*date (\d{4}-\d{2})\b[ \t]*")
_MONTHS = ("Januar|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|"
           "November|Dezember|January|February|March|May|June|July|October|December")
# "13:30 16 Dezember 2019", "16.12.2019 13:30", "16. Dezember 2019, 13:30 Uhr"
PAGE_STAMP = re.compile(
    rf"^\s*(?:\d{{1,2}}:\d{{2}}\s+)?(?:\d{{1,2}}\.?\s*(?:{_MONTHS})\s+\d{{4}}|\d{{1,2}}\.\d{{1,2}}\."
    rf"\d{{4}})(?:,?\s*\d{{1,2}}:\d{{2}}(?:\s*Uhr)?)?\s*$", re.IGNORECASE)

# A line starting with one of these ends the article: everything after is site material.
_TAIL = re.compile(
    r"^\s*(?i:Meistgelesene?(?: Artikel)?|Auch interessant|Zum Thema:?|Mehr zu(?:m| diesem) Thema"
    r"|Kommentare?(?:\s*\(\d+\))?|Tags:|Themen:|Schlagworte:|Gemeinschaftsstandards"
    r"|Das könnte Sie auch interessieren|Lesen Sie (?:auch|mehr)|Weitere Artikel|Mehr aus"
    r"|Empfehlungen|Artikel teilen|Diesen Artikel|Jetzt kommentieren|Leserkommentare"
    r"|Newsletter|Alle Rechte vorbehalten|Copyright|Related(?: Articles| Stories)?"
    r"|Read more|Most read|More on this story|Share this|Comments)(?:\b|(?=[A-ZÄÖÜ]))")

# Single chrome lines, removed wherever they stand.
_CHROME = re.compile(
    r"^\s*(?:SNA Radio|Zum Kurzlink|Abonnieren|Teilen|Twittern|Drucken|E-Mail|Merken"
    r"|Facebook|Twitter|WhatsApp|Pinterest|Mehr anzeigen|Anzeige|Werbung|Foto ?: .*"
    r"|Bild ?: .*|Fotos?: .*|Quelle: .*|\(?(?:Foto|Bild|Image|Photo)s?\s*:\s*.*\)?"
    r"|©.*|\(c\) .*|Video|Bildergalerie|Fotostrecke|Artikel vorlesen|Startseite"
    r"|►.{0,80}|\d{1,6}|via \w+ kommentieren.*|Situation in .{3,60}\(\d+\)|Politik|Wirtschaft"
    r"|Ausland|Inland|Panorama|Welt|Sport|Kultur|Home|Menü|Menu|Suche|[^\w]{1,10})\s*$",
    re.IGNORECASE)

# A photo caption: a sentence or two ending in a bare picture credit ("... aufgeschlagen. AFP",
# "... after a shooting incident.  AP", "... anti-EU. Credit: AP"). Running prose seldom ends
# in a bare agency name after its full stop; a dateline ("Berlin (dpa) -") starts a paragraph.
_CAPTION = re.compile(
    r"[.!?\"“”»]\s+(?:(?:Photo|Foto|Bild|Credit|Image|Picture)\s*[:/]\s*)?"
    r"(?:AFP|AP|Reuters|dpa|EPA|Getty Images|Imago|picture alliance)\s*$")
CAPTION_MAX_WORDS = 40
HEAD_LINES = 5
_BYLINE = re.compile(r"(?i)(?:von|by|autor(?:in)?|text|aktualisiert|updated|veröffentlicht"
                     r"|published|stand)\b[: ]")

_WORD = re.compile(r"\w+")


@dataclass
class _Line:
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    def is_body(self) -> bool:
        """A paragraph of running prose: enough words and sentence punctuation."""
        stripped = self.text.strip()
        return self.words >= 12 and bool(re.search(r"[.!?:“\"«»)]\s*$|[.!?]\s", stripped))


def _lines(text: str, offset: int) -> list[_Line]:
    out, pos = [], offset
    for raw in text.splitlines(keepends=True):
        out.append(_Line(pos, pos + len(raw.rstrip("\r\n")), raw.rstrip("\r\n")))
        pos += len(raw)
    return out


def run(article: Article, settings: Settings | None = None) -> Article:
    raw = article.raw_text
    removed: list[Removed] = []
    offset = 0
    header = _CRAWL_HEADER.match(raw)
    if header:
        article.crawl_month = article.crawl_month or valid_month(header.group(1))
        removed.append(Removed(header.group(0), 0, header.end(), "crawl-date header"))
        offset = header.end()
    lines = [ln for ln in _lines(raw[offset:], offset) if ln.text.strip()]
    lines = _strip_head(lines, removed, article)
    lines = _strip_tail(lines, removed, raw)
    kept: list[_Line] = []
    for i, line in enumerate(lines):
        if _CHROME.match(line.text) and not line.is_body():
            removed.append(Removed(line.text, line.start, line.end, "site chrome line"))
        elif i < len(lines) - 1 and _caption(line):
            removed.append(Removed(line.text, line.start, line.end, "photo caption"))
        elif article.outlet_boilerplate and line_key(line.text) in article.outlet_boilerplate:
            removed.append(Removed(line.text, line.start, line.end,
                                   "line repeated across this outlet's articles"))
        else:
            kept.append(line)
    article.text = "\n\n".join(" ".join(ln.text.split()) for ln in kept)
    article.title = tidy(article.title) or _text_headline(kept)
    article.removed = sorted(removed, key=lambda r: r.start)
    return article


def line_key(text: str) -> str:
    """Whitespace- and case-insensitive key of a line, for counting repeats per outlet."""
    return hashlib.blake2b(" ".join(text.split()).lower().encode(), digest_size=8).hexdigest()


def line_keys(raw: str) -> set[str]:
    return {line_key(ln) for ln in raw.splitlines() if ln.strip() and len(ln) < 600}


def _caption(line: _Line) -> bool:
    """Short lines only: a long paragraph ending in "AP" is more likely prose than a caption.
    The last line is kept (an article's closing line may be its own source credit)."""
    return line.words <= CAPTION_MAX_WORDS and bool(_CAPTION.search(line.text))


def _headline(line: _Line) -> bool:
    """A line that reads as a headline: a few words, no sentence end, no byline."""
    stripped = line.text.strip()
    return (2 <= line.words <= 15 and not re.search(r"[.!?,;]$", stripped)
            and not _BYLINE.match(stripped) and not PAGE_STAMP.match(stripped))


def _text_headline(kept: list[_Line]) -> str | None:
    """The headline of plain text: the last headline-like line above the first paragraph
    (a kicker or a photo caption may stand above it), within the first HEAD_LINES lines."""
    if len(kept) < 2:
        return None
    head = []
    for line in kept[:HEAD_LINES]:
        if line.is_body():
            break
        head.append(line)
    else:
        return None  # no paragraph near the top: a list or a fragment, not an article head
    found = [ln for ln in head if _headline(ln)]
    return tidy(found[-1].text) if found else None


def _strip_head(lines: list[_Line], removed: list[Removed], article: Article) -> list[_Line]:
    """Drop a page stamp and, when chrome precedes the first paragraph, the whole head."""
    if lines and PAGE_STAMP.match(lines[0].text):
        first = lines.pop(0)
        removed.append(Removed(first.text, first.start, first.end, "page timestamp"))
    first_body = next((i for i, ln in enumerate(lines) if ln.is_body()), None)
    if not first_body:
        return lines
    head = lines[:first_body]
    chrome = sum(1 for ln in head if _CHROME.match(ln.text))
    if chrome < 2:
        return lines
    titles = [ln for ln in head if ln.words >= 4 and not _CHROME.match(ln.text)]
    if titles and not article.title:
        article.title = max(titles, key=lambda ln: ln.words).text.strip()
    start, end = head[0].start, head[-1].end
    removed.append(Removed(article.raw_text[start:end], start, end, "page header chrome"))
    return lines[first_body:]


def _strip_tail(lines: list[_Line], removed: list[Removed], raw: str) -> list[_Line]:
    """Cut from the first tail cue that follows some body text to the end."""
    seen_body = False
    for i, line in enumerate(lines):
        cue = _TAIL.match(line.text) if seen_body else None
        if cue:
            start, end = line.start, lines[-1].end
            reason = f"trailing block after '{cue.group(0).strip()}'"
            removed.append(Removed(raw[start:end], start, end, reason))
            return lines[:i]
        seen_body = seen_body or line.is_body()
    return lines

