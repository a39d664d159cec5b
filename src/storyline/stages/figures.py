"""Figures: counts in the text ("mindestens 250.000 Menschen getötet") with what they count.

Why hand-written: number parsers (e.g. `text2num`) turn words into numbers but do not say
what a number counts, nor tell a count from a year, a date, a clock time, a paragraph or a
phone number; in news that context is the whole point, and it is a few German and English
cues. A figure needs a `what` (from the noun after the number, or the verb of its clause
for generic nouns: "400 Einwohner ... verlassen" -> "fled"), a qualifier ("mindestens") or
a scale word ("Millionen"); bare numbers without any of these are left out, because in news
they are mostly ranks, ages and identifiers. Dates, durations and clock times are whatever
the timex tagger claims and never figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.model import Article, Figure
from storyline.settings import Settings
from storyline.stages import timex
from storyline.stages.figures_lex import (
    GENERIC,
    QUALIFIER,
    SCALES,
    VAGUE,
    VERBS,
    WORDNUM,
    noun_what,
)
from storyline.stages.numerals import parse_numeral, parse_word

SETS = ("figures",)

CORE = re.compile(
    r"\b(?:(?P<num>(?<![\w.,:/+-])\d{1,3}(?:([.,\u202f\u00a0])\d{3})(?:\2\d{3})*(?:[.,]\d+)?"
    r"|(?<![\w.,:/+-])\d+(?:[.,]\d+)?)(?![\d]|[.,]\d|:\d|-[A-Za-zÄÖÜäöü])"
    r"|(?<![\w-])(?P<word>" + WORDNUM + r")(?![\w-])"
    r"|(?<![\w-])(?P<vague>(?i:" + "|".join(VAGUE) + r"))(?![\w-]))")
SUFFIX = re.compile(
    r"(?:\s+(?P<scale>" + "|".join(re.escape(s) for s in SCALES) + r")(?![\w]))?"
    r"(?:\s*(?P<pct>%|Prozent(?![\w])|percent\b|per\s+cent\b))?")
QUAL_BEFORE = re.compile(r"(?<![\w])(?P<qual>" + QUALIFIER + r")\s+$")
ADJECTIVE = re.compile(r"^(?:[a-zäöüß]{2,}(?:e|en|er|es|em)|[A-Z][a-z]+(?:ian|ese|ish|i)"
                       r"|more|other|additional|further|new|young)$")
WORD_AFTER = re.compile(r"\s+([A-Za-zÄÖÜäöüß][\wäöüß-]*)")
SKIP_BEFORE = re.compile(
    r"(?:§|Art\.|Artikel|Absatz|Abs\.|Nr\.|Nummer|No\.|Resolution|Paragraf|Paragraph|Kapitel"
    r"|Seite|S\.|Tel\.|Telefon|Fax|Platz|Rang|Ziffer|Kanal|Flug|Linie|Zimmer|Gleis|Section"
    r"|Article|page|Minute|Runde|Stufe|Version|Windows|iPhone|Kilometer|km)\s*$", re.IGNORECASE)
ORDINAL_BEFORE = re.compile(r"\b(?:der|die|das|dem|den|des|am|im|vom|zum|zur|beim)\s+$")
# "die Zahl der Toten stieg auf 250", "the death toll rose to 250"
TOLL_BEFORE = re.compile(r"\b(Toten|Todesopfer|Verletzten|Flüchtlinge|Vertriebenen|dead|injured"
                         r"|refugees)\s+(?:[\w-]+\s+){0,6}(?:auf|von|bei|of|to|at)\s+$")
PHONE = re.compile(r"(?<![\w])\+?\d[\d /-]{6,}\d")
CLAUSE_END = re.compile(r"[!?;:]|\.(?=\s+[A-ZÄÖÜ„\"])|\n")
COMMA = re.compile(r"[,!?;:]|\.(?=\s+[A-ZÄÖÜ„\"])|\n")


@dataclass
class Hit:
    """A number with what surrounds it: qualifier before, scale word or percent after."""

    start: int  # of the qualifier when there is one
    num_start: int
    num_end: int
    end: int  # after the scale word / percent sign
    kind: str  # num | word | vague
    raw: str
    qual: str | None
    scale: str | None
    pct: bool


def _hits(text: str) -> list[Hit]:
    out = []
    for m in CORE.finditer(text):
        kind = m.lastgroup or "num"
        suffix = SUFFIX.match(text, m.end())
        qual = QUAL_BEFORE.search(text, max(0, m.start() - 25), m.start())
        out.append(Hit(qual.start() if qual else m.start(), m.start(), m.end(),
                       suffix.end() if suffix else m.end(), kind, m.group(kind),
                       qual.group("qual") if qual else None,
                       suffix.group("scale") if suffix else None,
                       bool(suffix and suffix.group("pct"))))
    return out


def _value(h: Hit, lang: str) -> float | None:
    if h.kind == "num":
        value = parse_numeral(h.raw, lang)
    elif h.kind == "word":
        value = parse_word(re.sub(r"\s+", " ", h.raw))
    else:
        value = float(VAGUE[h.raw.lower()])
    if value is None:
        return None
    return float(value * SCALES[h.scale] if h.scale else value)


def _excluded(text: str, h: Hit, blocked: bytearray) -> bool:
    before = text[max(0, h.num_start - 25):h.num_start]
    if any(blocked[h.num_start:h.num_end]):
        return True
    if h.kind == "num":
        if SKIP_BEFORE.search(before) or (h.raw[0] == "0" and h.raw[1:2].isdigit()):
            return True
        if text.startswith(".", h.num_end) and (
                ORDINAL_BEFORE.search(before) or re.match(r"\.\s*[a-zäöü]", text[h.num_end:])):
            return True
    return False


def _verb(window: str, last: bool = False) -> str | None:
    """The verb cue nearest to the number: the first one after it, the last one before."""
    hits = [(h.start(), name) for name, cue in VERBS for h in cue.finditer(window)]
    if not hits:
        return None
    return (max(hits) if last else min(hits))[1]


def _clause(text: str, start: int, limit: int) -> str:
    stop = CLAUSE_END.search(text, start, limit)
    return text[start:stop.start() if stop else limit]


def _clause_before(text: str, lo: int, end: int) -> str:
    chunk = text[lo:end]
    cut = max((m.end() for m in COMMA.finditer(chunk)), default=0)
    return chunk[cut:]


def _what(text: str, h: Hit, prev_end: int, next_start: int, lang: str
          ) -> tuple[str | None, int]:
    """What the number counts, and where the figure's span ends (after a counted noun)."""
    if h.pct:
        return "percent", h.end
    end, what, pos = h.end, None, h.end
    for _ in range(3):  # the counted noun, after at most two adjectives ("weitere syrische")
        word = WORD_AFTER.match(text, pos)
        if not word:
            break
        token = word.group(1)
        what = noun_what(token)
        if what is not None:
            end = word.end()
            break
        if not ADJECTIVE.match(token):
            if token[0].isupper() and lang == "de":
                return None, end  # an unknown noun: it counts something we do not name
            break
        pos = word.end()
    if what is None or what in GENERIC:
        verb = _verb(_clause(text, end, min(max(next_start, end), end + 120)))
        if verb is None:
            verb = _verb(_clause_before(text, max(prev_end, h.start - 40), h.start), True)
        if verb:
            return verb, end
    if what is None:
        toll = TOLL_BEFORE.search(text[max(0, h.start - 90):h.start])
        if toll:
            return noun_what(toll.group(1)), end
    return what, end


def find(text: str, lang: str = "de") -> list[Figure]:
    blocked = bytearray(len(text) + 1)
    for s, e in timex.spans(text, lang):
        blocked[s:e] = b"\x01" * (e - s)
    for p in PHONE.finditer(text):
        if " " in p.group().strip() or "/" in p.group():
            blocked[p.start():p.end()] = b"\x01" * (p.end() - p.start())
    hits = _hits(text)
    out: list[Figure] = []
    for i, h in enumerate(hits):
        if _excluded(text, h, blocked):
            continue
        value = _value(h, lang)
        if value is None:
            continue
        next_start = hits[i + 1].start if i + 1 < len(hits) else len(text)
        prev_end = hits[i - 1].end if i else 0
        what, end = _what(text, h, prev_end, next_start, lang)
        if what is None and (h.kind == "word" or not (h.qual or h.scale)):
            continue
        qualifier = h.qual.lower() if h.qual else (h.raw.lower() if h.kind == "vague" else None)
        out.append(Figure(text=text[h.start:end], value=value, start=h.start, end=end,
                          what=what, qualifier=qualifier))
    return out


def run(article: Article, settings: Settings) -> Article:
    """Fill `article.figures` (German and English cues; other languages get numerals only)."""
    article.figures = find(article.text or "", "en" if article.lang == "en" else "de")
    return article
