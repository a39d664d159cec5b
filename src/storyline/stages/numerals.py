"""Number words and numerals as news writes them, shared by the timex and figures stages.

Written by hand because the libraries that parse number words (e.g. `text2num`,
`word2number`) either lack German, pull in heavy dependencies or do not handle German
thousands separators ("250.000", "1,5 Millionen") next to English ones ("250,000").
"""

from __future__ import annotations

import re

UNITS_DE: dict[str, int] = {
    "null": 0, "ein": 1, "eins": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14,
    "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
    "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
    "siebzig": 70, "achtzig": 80, "neunzig": 90, "hundert": 100, "einhundert": 100,
    "zweihundert": 200, "dreihundert": 300, "fünfhundert": 500, "tausend": 1000,
    "eintausend": 1000, "zweitausend": 2000, "zwei dutzend": 24, "dutzend": 12,
    "beiden": 2, "beide": 2, "zweier": 2, "dreier": 3,
}
UNITS_EN: dict[str, int] = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a hundred": 100, "thousand": 1000, "a thousand": 1000, "dozen": 12, "a dozen": 12,
}
WORDS: dict[str, int] = {**UNITS_DE, **UNITS_EN}

SCALES: dict[str, int] = {
    "tausend": 1000, "thousand": 1000, "mio": 1_000_000, "mio.": 1_000_000,
    "million": 1_000_000, "millionen": 1_000_000, "millions": 1_000_000,
    "mrd": 1_000_000_000, "mrd.": 1_000_000_000, "milliarde": 1_000_000_000,
    "milliarden": 1_000_000_000, "billion": 1_000_000_000, "billions": 1_000_000_000,
}

# German "250.000" / "1.500.000", English "250,000"; decimals "1,5" (de) or "1.5" (en).
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\u202f\u00a0 ])\d{3})(?:\1\d{3})*$")
_DECIMAL = re.compile(r"^\d+([.,])\d+$")


def parse_numeral(text: str, lang: str = "de") -> float | None:
    """'250.000' -> 250000, '1,5' -> 1.5 (German), '1.5' -> 1.5 and '250,000' (English).

    A single separator followed by exactly three digits is read as a thousands separator
    ("1.300", "1,300"), except a comma in German, which is always decimal ("1,500" is 1.5).
    """
    s = text.strip()
    if s.isdigit():
        return float(s)
    grouped = _GROUPED.match(s)
    if grouped and not (lang == "de" and grouped.group(1) == ","):
        return float(re.sub(r"\D", "", s))
    if _DECIMAL.match(s):
        return float(s.replace(",", "."))
    return None


def parse_word(text: str) -> int | None:
    """Number word (case-insensitive) to its value, or None."""
    return WORDS.get(text.lower())


NUMWORD_DE = (
    r"(?:ein(?:e[nmr]?)?|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf"
    r"|dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn|zwanzig|dreißig"
    r"|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|(?:ein|zwei|drei|fünf)?hundert"
    r"|(?:ein|zwei)?tausend|beiden?)"
)
NUMWORD_EN = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|a\s+hundred|hundred|a\s+thousand|thousand|a|an)"
)
