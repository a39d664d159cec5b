"""Word lists of the figures stage: qualifiers, scale words, counted nouns and verb cues.

`what` uses a small English vocabulary whatever the article's language, so figures from
German and English reports on the same event can be compared.
"""

from __future__ import annotations

import re

from storyline.stages.numerals import SCALES as _SCALES

QUALIFIER = (
    r"(?i:mindestens|wenigstens|rund|etwa|ca\.|circa|zirka|fast|beinahe|knapp|mehr\s+als"
    r"|weit\s+über|über|bis\s+zu|nahezu|annähernd|gut|weniger\s+als|unter|höchstens"
    r"|schätzungsweise|ungefähr|at\s+least|about|around|nearly|almost|more\s+than|over"
    r"|up\s+to|roughly|approximately|fewer\s+than|less\s+than|some|an\s+estimated)"
)
SCALES = {k: v for k, v in _SCALES.items() if k not in ("tausend", "thousand")} | {
    "Millionen": 1_000_000, "Million": 1_000_000, "Milliarden": 1_000_000_000,
    "Milliarde": 1_000_000_000, "Mio.": 1_000_000, "Mrd.": 1_000_000_000,
    "Tausend": 1000, "tausend": 1000, "thousand": 1000,
}
# Plural counting words give their lower bound ("Dutzende" = at least two dozen).
VAGUE = {
    "dutzende": 24, "hunderte": 200, "tausende": 2000, "zehntausende": 20000,
    "hunderttausende": 200000, "dozens": 24, "hundreds": 200, "thousands": 2000,
    "tens of thousands": 20000, "hundreds of thousands": 200000,
}
WORDNUM = (
    r"(?i:(?:eine|einer|one|a)\s+(?=Million|Milliarde|million|billion|Dutzend|dozen)"
    r"|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig"
    r"|fünfzig|hundert|tausend|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty|fifty|hundred|thousand)"
)
NOUNS: dict[str, str] = {
    "menschen": "people", "person": "people", "leute": "people", "einwohner": "people",
    "bewohner": "people", "syrer": "people", "iraker": "people", "afghanen": "people",
    "kurden": "people", "palästinenser": "people", "ukrainer": "people",
    "zivilist": "civilians", "todesopfer": "dead",
    "toten": "dead", "tote": "dead", "leichen": "dead", "verletzte": "injured",
    "schwerverletzte": "injured", "verwundete": "wounded", "flüchtling": "refugees",
    "geflüchtete": "refugees", "binnenvertriebene": "displaced", "vertriebene": "displaced",
    "soldat": "soldiers", "truppen": "soldiers", "mann": "soldiers", "polizist": "police",
    "kinder": "children", "kindern": "children", "frauen": "women", "kämpfer": "fighters",
    "rebell": "fighters", "milizionär": "fighters", "dschihadist": "fighters",
    "terrorist": "fighters", "islamist": "fighters", "aufständische": "fighters",
    "gefangene": "prisoners", "häftling": "prisoners", "geisel": "hostages",
    "festgenommene": "arrested", "prozent": "percent", "dollar": "dollars",
    "us-dollar": "dollars", "euro": "euros", "tonnen": "tonnes", "familie": "families",
    "people": "people", "persons": "people", "residents": "people", "civilians": "civilians",
    "dead": "dead", "bodies": "dead", "injured": "injured", "wounded": "wounded",
    "refugees": "refugees", "displaced": "displaced", "soldiers": "soldiers",
    "troops": "soldiers", "children": "children", "women": "women", "fighters": "fighters",
    "rebels": "fighters", "militants": "fighters", "prisoners": "prisoners",
    "hostages": "hostages", "percent": "percent", "dollars": "dollars", "euros": "euros",
    "tonnes": "tonnes", "tons": "tonnes", "families": "families", "police": "police",
}
# nouns that name who, not what happened to them: a verb in the clause says more
GENERIC = {"people", "civilians", "children", "women", "soldiers", "fighters", "families",
           "police"}
VERBS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(p, re.IGNORECASE)) for name, p in [
        ("killed", r"getötet|ums\s+Leben|starben|gestorben|umgekommen|ermordet|hingerichtet"
                   r"|tot\b|Leben\s+gekostet|Leben\s+verloren|killed|died|murdered|executed"
                   r"|lost\s+their\s+lives"),
        ("wounded", r"verwundet|wounded"),
        ("injured", r"verletzt|injured|hurt\b"),
        ("fled", r"geflohen|flohen|flüchteten|geflüchtet|verlassen|verließen|fled\b|left\b"
                 r"|escaped"),
        ("displaced", r"vertrieben|obdachlos|displaced|homeless"),
        ("arrested", r"festgenommen|verhaftet|inhaftiert|gefangen\s+genommen|arrested"
                     r"|detained"),
        ("evacuated", r"evakuiert|in\s+Sicherheit\s+gebracht|evacuated"),
        ("missing", r"vermisst|missing"),
    ]
]
_NATIONALS = re.compile(r"^[A-Z][a-z]+(?:ians|ans|ese|is)$")  # Syrians, Iraqis (English)
_NOUN_KEYS = sorted(NOUNS, key=len, reverse=True)


def noun_what(word: str) -> str | None:
    """Map a noun (any case, plural or compound tail) onto the vocabulary."""
    low = word.lower()
    if _NATIONALS.match(word):
        return "people"
    if low in NOUNS:
        return NOUNS[low]
    for key in _NOUN_KEYS:
        if len(key) >= 4 and (low.startswith(key) or (len(low) > len(key) + 3
                                                      and low.endswith(key))):
            return NOUNS[key]
    return None
