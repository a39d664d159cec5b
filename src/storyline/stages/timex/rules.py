"""Patterns of the timex tagger: German and English temporal expressions as regexes.

Each rule is (name, compiled regex, optional context-free check). The regex match *is*
the span: prepositions ("am", "im", "seit") stay outside it, as in the TIMEX2 guidelines,
while modifiers ("Anfang", "Ende des") and anaphoric heads ("am selben Tag") stay inside.
Names map to normalisers in `norm`. Compiled once at import.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from storyline.stages.numerals import NUMWORD_DE, NUMWORD_EN

Check = Callable[[re.Match[str], str], bool]
Rule = tuple[str, re.Pattern[str], Check | None]

MONTHS: dict[str, int] = {
    "januar": 1, "jänner": 1, "februar": 2, "feber": 2, "märz": 3, "april": 4, "mai": 5,
    "juni": 6, "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11,
    "dezember": 12, "jan": 1, "feb": 2, "mär": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dez": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "october": 10, "december": 12, "mar": 3, "oct": 10, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}
SEASONS: dict[str, str] = {
    "frühjahr": "SP", "frühling": "SP", "sommer": "SU", "herbst": "FA", "winter": "WI",
    "spätsommer": "SU", "frühsommer": "SU", "hochsommer": "SU", "spätherbst": "FA",
    "frühherbst": "FA", "spätwinter": "WI", "spring": "SP", "summer": "SU", "autumn": "FA",
    "fall": "FA",
}
PARTS: dict[str, str] = {
    "morgen": "MO", "früh": "MO", "vormittag": "MO", "mittag": "MI", "nachmittag": "AF",
    "abend": "EV", "nacht": "NI", "morgenstunden": "MO", "abendstunden": "EV",
    "morning": "MO", "afternoon": "AF", "evening": "EV",
    "night": "NI",
}
DECADE_WORDS: dict[str, int] = {
    "zwanziger": 2, "dreißiger": 3, "vierziger": 4, "fünfziger": 5, "sechziger": 6,
    "siebziger": 7, "achtziger": 8, "neunziger": 9,
}

_W = r"(?![\wäöüßÄÖÜ])"  # right word boundary that knows umlauts
LB = r"(?<![\w.,/:-])"  # a number that is not the tail of 1.500, 12:30, 3/4
MON = (r"(?P<mon>(?:Januar|Jänner|Februar|Feber|März|April|Mai|Juni|Juli|August|September"
       r"|Oktober|November|Dezember)" + _W
       + r"|(?:Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sept?|Okt|Nov|Dez)\.)")
MON2 = MON.replace("?P<mon>", "?:")
ERA = r"(?P<era>\s*(?:v\.|n\.)\s?Chr\.|\s+vor\s+Christus)"
YEAR = (r"(?P<year>(?:\d{1,4}(?=\s*(?:v\.|n\.)\s?Chr\.|\s+vor\s+Christus)|1\d{3}|20\d{2})"
        r"(?![\d]|[.,]\d))" + ERA + "?")
YEAR2 = r"(?:1\d{3}|20\d{2})(?!\d|[.,]\d)"
DAY = r"(?<![\w.,:-])(?P<day>[0-3]?\d)\."  # "27./28. Mai": a day may follow "/"
WD = r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)"
MOD = (r"(?:(?:[Gg]egen\s+)?(?P<mod>Anfang|Mitte|Ende|Beginn|Ausgang|Laufe)"
       r"(?:\s+de[sr])?\s+)?")
NUM = r"(?P<n>\d{1,3}|(?i:" + NUMWORD_DE + r"))"
UNIT = (r"(?P<unit>Sekunden|Minuten?|Stunden?|Tage?n?|Wochen?|Monate?n?|Jahre?n?"
        r"|Jahrzehnte?n?|Jahrhunderte?n?)" + _W)
RANGE = r"\s*(?:bis(?:\s+zum)?|und(?:\s+dem)?|/|–|-|auf\s+den|zum)\s*[0-3]?\d\.\s*"

# Followers used by normalisers to borrow month/year from the second half of a range.
RANGE_TAIL = re.compile(RANGE + MON + r"(?:\s+" + YEAR + ")?")
MONTH_RANGE_TAIL = re.compile(r"\s*(?:und|bis|/|–|-)\s*" + MON2 + r"\s+(?P<year>" + YEAR2 + ")")
FUTURE_CUE = re.compile(
    r"\b(?:wird|werden|will|wollen|soll|sollen|plant|planen|geplant|beginnt|startet"
    r"|will|shall|going to|plans? to|is due|are due|scheduled)\b")
CLAUSE_BREAK = re.compile(r"[,;:!?\n]|\.(?=\s)")
PAST_CUE = re.compile(r"\b(?:worden|wurde|wurden|war|waren|hatte|hatten|habe|haben|hat"
                      r"|was|were|had|said|did)\b")
COUNT_NOUN = re.compile(
    r"\s+(?:[a-zäöü]+\s+)?(?:Soldaten|Mann|Menschen|Tote|Toten|Opfer|Personen|Einwohner|Gefangene"
    r"|Flüchtlinge|Kilometer|km|Meter|Dollar|Euro|Pfund|Mark|Panzer|Flugzeuge|Schiffe|Geschütze"
    r"|Stück|Einheiten|Kinder|Frauen|Zivilisten|Kämpfer|Rebellen|Häuser|Familien|people|soldiers"
    r"|troops|men|dead|killed|miles|dollars)\b")
NOUN_NEXT = re.compile(r"[ \t\u00a0]+[A-ZÄÖÜ][a-zäöüß]+(?:n|e|en|er|s)\b")
YEAR_PREP = re.compile(r"\b(?:[Ii]m|[Ss]eit|[Bb]is|[Aa]b|[Vv]on|[Vv]or|[Nn]ach|[Uu]m|[Zz]wischen"
                       r"|[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Bb]efore|[Aa]fter)\s+$")
COUNT_BEFORE = re.compile(
    r"(?:rund|etwa|über|mehr als|mindestens|ca\.|knapp|fast|insgesamt|weitere|nur|bis zu"
    r"|about|around|over|more than|at least|nearly|some)\s+$", re.IGNORECASE)


def _year_ok(m: re.Match[str], text: str) -> bool:
    """A bare four-digit number is a year unless it counts something: "1500 Soldaten",
    "mit 1500 Panzern" (a noun right after it, and no "seit", "im", "bis" before it)."""
    if m.group("era") or "ahr" in m.group(0) or m.group("mod"):
        return True
    before = text[max(0, m.start() - 20):m.start()]
    if COUNT_BEFORE.search(before):
        return False
    if COUNT_NOUN.match(text, m.end()):
        return False
    return not (NOUN_NEXT.match(text, m.end()) and not YEAR_PREP.search(before))


def _month_ok(m: re.Match[str], text: str) -> bool:
    """'August Bebel', 'Mai Thi': a bare month name followed by a capitalised name."""
    if m.group("mod"):
        return True
    nxt = re.match(r"\s+([A-ZÄÖÜ][a-zäöüß]+)", text[m.end():m.end() + 30])
    return not (nxt and m.group("mon") in ("August", "Mai", "Juni", "Juli", "April")
                and nxt.group(1) not in ("Anfang", "Mitte", "Ende"))


def _en_month_ok(m: re.Match[str], text: str) -> bool:
    """'May' and 'March' alone are verbs/nouns unless a preposition or modifier leads."""
    if m.group("mod") or m.group("mon") not in ("May", "March"):
        return True
    before = text[max(0, m.start() - 12):m.start()]
    return bool(re.search(r"\b(?:in|since|until|by|of|last|next|this|early|late|mid)\s+$",
                          before))


def _c(p: str) -> re.Pattern[str]:
    """Every rule starts at a word boundary: sre then skips mid-word positions cheaply."""
    return re.compile(r"\b" + p)


# Speed: a rule only runs in windows around a word it cannot match without (found with
# str.find on the lower-cased text, far cheaper than a regex alternation at every position);
# a match never reaches further than WINDOW from its trigger.
DIGITS = re.compile(r"\d+")
TRIGGER_WORDS: dict[str, tuple[str, ...]] = {
    "month": ("jan", "jän", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt",
              "nov", "dez", "mar", "may", "oct", "dec"),
    "unit": ("tag", "woche", "monat", "jahr", "stunde", "minute", "sekunde", "quartal",
             "hälfte", "day", "week", "month", "year", "hour", "second", "decade"),
    "deixis": ("heute", "gestern", "morgen", "today", "yesterday", "tomorrow", "tonight"),
    "weekday": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag",
                "sonnabend", "sonntag", "monday", "tuesday", "wednesday", "thursday",
                "friday", "saturday", "sunday"),
    "vague": ("später", "danach", "darauf", "zuvor", "vorher", "bald", "jetzt", "kürzlich",
              "kurzem"),
    "season": ("frühjahr", "frühling", "sommer", "herbst", "winter", "spring", "summer",
               "autumn", "fall"),
}
WINDOW = 100
TRIGGERS: dict[str, tuple[str, ...]] = {
    "dmy": ("month",), "iso": ("digit",), "dmy_num": ("digit",), "day_only": ("month",),
    "my": ("month",), "m": ("month",), "year": ("digit",), "decade": ("digit", "unit"),
    "century": ("digit",), "season": ("season",), "half": ("unit",), "yearpart": ("unit",),
    "deictic": ("deixis",), "weekday": ("weekday",), "night_wd": ("weekday",),
    "rel_unit": ("unit",), "compound": ("unit",), "unit_after": ("unit",),
    "tags_darauf": ("unit",), "offset": ("unit",), "ago": ("unit",), "duration": ("unit",),
    "clock": ("digit",), "vague": ("vague",),
}


GERMAN: list[Rule] = [
    ("dmy", _c(r"(?:(?:[Gg]egen\s+|(?:[Ff]rühen|[Ss]päten)\s+)?(?P<part>Morgen|Vormittag|Mittag"
               r"|Nachmittag|Abend|Nacht|Morgenstunden|Abendstunden|Laufe|Verlauf)\s+des\s+)?"
               r"(?:" + WD + r",?\s+(?:(?:dem|den)\s+)?)?" + DAY + r"\s*" + MON
               + r"(?:\s+" + YEAR + ")?"), None),
    ("iso", _c(LB + r"(?P<year>\d{4})-(?P<mon>[01]\d)(?:-(?P<day>[0-3]\d))?(?![\d:-])"), None),
    ("dmy_num", _c(LB + r"(?P<day>[0-3]?\d)\.(?P<mon>[01]?\d)\.(?P<year>\d{4})(?![\d])"),
     None),
    ("day_only", _c(r"(?:(?P<night>Nacht)\s+(?:vom|zum)\s+)?" + DAY + r"(?=" + RANGE
                    + MON2 + ")"), None),
    ("my", _c(MOD + MON + r"\s+(?:des\s+Jahres\s+)?" + YEAR), None),
    ("m", _c(MOD + MON + r"(?:\s+(?P<same>desselben|des\s+gleichen|des\s+selben|des\s+folgenden"
             r"|des\s+nächsten|des\s+vorigen|des\s+vorangegangenen)\s+Jahres)?"), _month_ok),
    ("year", _c(MOD + r"(?:(?:[Uu]m\s+)?(?:das|dem)\s+)?(?:Jahr(?:e|es)?\s+)?"
                + LB + YEAR), _year_ok),
    ("decade", _c(MOD + r"(?:(?:der|den|die)\s+)?(?:(?P<dec>\d{2,4}0)er|(?P<decw>"
                  + "|".join(DECADE_WORDS) + r"))[ -]?Jahren?" + _W), None),
    ("century", _c(MOD + r"(?P<cent>\d{1,2})\.\s*(?:Jahrhunderts?"
                   + _W + r"|Jh\.)" + ERA + "?"), None),
    ("season", _c(MOD + r"(?P<season>Frühjahr|Frühling|Sommer|Herbst|Winter|Spätsommer"
                  r"|Frühsommer|Hochsommer|Spätherbst|Frühherbst|Spätwinter)(?:s|es)?"
                  r"(?:\s+(?:(?:des|dem)\s+Jahres\s+)?" + YEAR + r")?" + _W), None),
    ("half", _c(r"(?P<ord>erste|zweite|dritte|vierte)[nr]?\s+"
                r"(?P<unit>Hälfte|Jahreshälfte|Quartal|Jahresviertel)s?(?:\s+des\s+Jahres)?"
                r"(?:\s+" + YEAR + ")?" + _W), None),
    ("yearpart", _c(r"(?:(?P<mod>Anfang|Mitte|Ende|Beginn|Laufe|Verlauf)\s+des\s+(?P<unit>Jahres"
                    r"|Monats)|(?P<unit2>Jahres|Monats)(?P<mod2>ende|beginn|anfang|mitte|wechsel))"
                    + _W), None),
    ("deictic", _c(r"(?P<word>(?i:heute|heutigen\s+Tag|vorgestern|gestern|übermorgen)"
                   r"|morgen(?!\s+(?:früh|Abend)))(?:\s+(?P<part>Morgen|Abend|Nachmittag|"
                   r"Vormittag|Mittag|Nacht|früh))?" + _W), None),
    ("weekday", _c(r"(?:(?P<rel>kommenden|nächsten|vergangenen|letzten|diesen|vorigen)\s+)?"
                   r"(?P<wd>" + WD + r")(?P<part>abend|morgen|nachmittag|vormittag|mittag|nacht"
                   r"|früh)?" + _W), None),
    ("night_wd", _c(r"Nacht\s+(?:zum|auf\s+den)\s+(?P<wd>" + WD + r")" + _W), None),
    ("rel_unit", _c(r"(?:[Aa]m\s+(?=selben|gleichen))?" + MOD
                    + r"(?P<rel>vergangene|letzte|diese|kommende|nächste|vorige|laufende|folgende"
                    r"|selbe|gleiche|darauffolgende|darauf\s+folgende)"
                    r"[nrsm]?\s+(?P<unit>Woche|Monats?|Jahr(?:es)?|Tag(?:es)?)" + _W), None),
    ("compound", _c(r"(?:[Aa]m\s+)?(?P<comp>Vor|Folge)(?P<unit>jahr|woche|monat|tag)(?:es|s|e)?"
                    + _W), None),
    ("unit_after", _c(r"(?:[Aa]m\s+)?(?P<unit>Tag|Jahr|Monat|Woche)s?\s+(?P<dir>darauf|danach"
                      r"|zuvor|davor|vorher)" + _W), None),
    ("tags_darauf", _c(r"[Tt]ags\s+(?P<dir>darauf|zuvor)" + _W), None),
    ("offset", _c(r"(?:" + NUM + r"|(?P<few>(?i:wenige|einige|mehrere)))\s+" + UNIT
                  + r"\s+(?P<dir>später|danach|darauf|zuvor|vorher|früher)" + _W), None),
    ("vague", _c(r"(?P<word>(?:[Kk]urze\s+Zeit|[Kk]urz|[Ww]enig|[Bb]ald)\s+(?:später|danach"
                 r"|darauf)|[Kk]urz\s+(?:zuvor|vorher)|[Bb]ald|[Jj]etzt|[Kk]ürzlich"
                 r"|[Bb]innen\s+kurzem)" + _W), None),
    ("ago", _c(r"(?P<dir>vor|nach)\s+" + NUM + r"\s+" + UNIT), None),
    ("duration", _c(r"(?:(?:[Mm]ehr|[Ww]eniger)\s+als\s+|[Ff]ast\s+|[Kk]napp\s+)?"
                    r"(?:(?P<n>\d{1,3}|(?i:" + NUMWORD_DE + r"|mehrere|mehreren|wenige|wenigen"
                    r"|einige|einigen))\s+|(?P<seit>[Ss]eit)\s+)" + UNIT), None),
    ("clock", _c(LB + r"(?P<h>[0-2]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*Uhr" + _W), None),
]

MON_EN = (r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October"
          r"|November|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)")
WD_EN = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
MOD_EN = r"(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of)[\s-]+)?"
YEAR_EN = r"(?P<year>1\d{3}|20\d{2})(?!\d|[.,]\d)(?P<era>)"
NUM_EN = r"(?P<n>\d{1,3}|(?i:" + NUMWORD_EN + r"))"
UNIT_EN = r"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b"

ENGLISH: list[Rule] = [
    ("dmy", _c(r"(?:" + WD_EN + r",?\s+)?" + MON_EN + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
               r"(?![\d:])(?:,?\s+" + YEAR_EN + ")?"), None),
    ("dmy", _c(r"(?:" + WD_EN + r",?\s+)?(?:the\s+)?" + LB + r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
               r"\s+(?:of\s+)?" + MON_EN + r"(?:,?\s+" + YEAR_EN + ")?"), None),
    ("my", _c(MOD_EN + MON_EN + r",?\s+(?:of\s+)?" + YEAR_EN), None),
    ("m", _c(MOD_EN + MON_EN), _en_month_ok),
    ("year", _c(MOD_EN + r"(?:the\s+year\s+)?" + LB + YEAR_EN), _year_ok),
    ("decade", _c(r"(?:the\s+)?(?P<mod>)(?P<dec>\d{2,4}0)'?s\b(?P<decw>)"), None),
    ("century", _c(r"(?P<mod>)(?:the\s+)?(?P<cent>\d{1,2})(?:st|nd|rd|th)\s+century\b(?P<era>)"),
     None),
    ("season", _c(MOD_EN + r"(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?\s+"
                  + YEAR_EN), None),
    ("deictic", _c(r"(?P<word>(?i:today|yesterday|tomorrow|tonight))(?:\s+(?P<part>morning"
                   r"|afternoon|evening|night))?\b"), None),
    ("weekday", _c(r"(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<wd>" + WD_EN + r")(?:\s+"
                   r"(?P<part>morning|afternoon|evening|night))?\b"), None),
    ("rel_unit", _c(r"(?i:" + MOD_EN + r"(?:(?:earlier|later)\s+)?(?P<rel>last|this|next|past"
                    r"|previous|coming|the\s+following|the\s+same|the\s+previous)\s+(?P<unit>week"
                    r"|month|year|day)\b)"), None),
    ("offset", _c(NUM_EN + r"\s+" + UNIT_EN + r"\s+(?P<dir>ago|later|earlier|before|after)\b"),
     None),
    ("duration", _c(r"(?:(?:[Mm]ehr|[Ww]eniger)\s+als\s+|[Ff]ast\s+|[Kk]napp\s+)?"
                    r"(?:(?P<n>\d{1,3}|(?i:" + NUMWORD_EN + r"|several|a\s+few|few))\s+"
                    r"|(?P<seit>for)\s+)" + UNIT_EN), None),
    ("clock", _c(LB + r"(?P<h>[0-2]?\d)(?::(?P<mi>[0-5]\d))?\s*(?:a\.m\.|p\.m\.|am|pm|GMT)\b"),
     None),
]
