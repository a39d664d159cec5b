"""Speaker phrases: find the noun phrase next to a cue, then name the speaker in it.

The phrase ("Ein Sprecher des saudi-arabischen Gesundheitsministeriums", "Sprecher John Kirby")
is kept as the source span; the speaker is the entity inside it when the entities stage found
one, else the name after a role noun, else the phrase without leading articles/adjectives.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.model import Mention
from storyline.stages.quotes.lex import ARTICLES, NP_STOP, SUBJUNCTIVE, Lexicon, words
from storyline.stages.quotes.text import Tok

_NP_GLUE = words()["np_glue"]
_TIME_PREP = frozenset({"am", "im", "vor", "seit", "zuvor", "gestern", "heute", "zudem",
                        "außerdem", "auch", "dazu", "weiter", "bereits", "nun", "jetzt",
                        "dann", "noch", "später", "erneut", "ebenfalls", "zugleich", "nur",
                        "lediglich", "selbst", "zwar", "jedoch", "aber", "sich", "damals",
                        "schließlich", "zuletzt", "inzwischen", "mittlerweile", "daher",
                        "deshalb", "also", "ausdrücklich", "unter", "anderem", "wiederholt"})
_ABBREV_TITLES = frozenset({"prof", "dr", "st", "jr", "sen", "gen", "mr", "mrs", "ms"})
_PERSONAL = frozenset({"er", "sie", "wir", "ich", "ihr", "he", "she", "they", "we", "i"})
_ADJ_END = ("e", "en", "er", "es", "em")
_VERBISH = SUBJUNCTIVE | words()["verbish"]
SOURCE_NOUNS = tuple(words()["source_nouns"])


def source_noun(t: Tok) -> bool:
    """"Angaben", "Polizeiangaben", "Studie": a noun naming where a statement comes from."""
    return t.text[:1].isupper() and t.low.endswith(SOURCE_NOUNS)
_CONJUNCTIONS = frozenset({"nachdem", "als", "weil", "obwohl", "wenn", "da", "dass", "ob",
                           "während", "bevor", "sobald", "damit", "falls", "indem", "seit"})
_NOT_SUBJECT = frozenset({"dies", "das", "dazu", "darauf", "es", "man", "this", "it", "there"})


def cap(t: Tok) -> bool:
    """Capitalised, a number, or a name written with a digit or inner capital ("n24")."""
    c = t.text[:1]
    if c.isupper() or c.isdigit():
        return True
    return c.isalpha() and (t.text != t.low or (
        not t.text.isalpha() and any(ch.isdigit() for ch in t.text)))


def skip_adverbials(toks: Sequence[Tok], j: int, end: int) -> int:
    """Step over "am Montag", "zudem", "am 3. August" right after a cue."""
    for _ in range(4):
        if j >= end or toks[j].low not in _TIME_PREP:
            break
        was_prep = toks[j].low in {"am", "im", "vor", "seit"}
        j += 1
        while was_prep and j < end and (cap(toks[j]) or toks[j].text == "."):
            j += 1
    return j


def _adjective(toks: Sequence[Tok], j: int, end: int) -> bool:
    """A lowercase inflected word before a noun ("russische Außenminister")."""
    low = toks[j].low
    if j > 0 and cap(toks[j - 1]) and toks[j - 1].low not in ARTICLES \
            and not source_noun(toks[j - 1]):  # "Angaben libanesischer Sicherheitskreise"
        return False  # "Angaben weitere Joint-Ventures": a new phrase starts here
    nxt = toks[j + 1] if j + 1 < end else None
    return (low.endswith(_ADJ_END) and low not in NP_STOP and low not in _VERBISH
            and nxt is not None and nxt.low not in ARTICLES and nxt.low not in NP_STOP
            and (cap(nxt) or nxt.low.endswith(_ADJ_END)))


def _quoted_name(toks: Sequence[Tok], j: int, end: int) -> int:
    """End (exclusive) of a short quoted name at j (Zeitung „Die Zeit“), or j if none."""
    if toks[j].text not in "„»“\"" or j == 0 or not (cap(toks[j - 1]) or toks[j - 1].low
                                                      in ARTICLES):
        return j
    for q in range(j + 1, min(end, j + 9)):
        if toks[q].text in "“”«\"":
            return q + 1 if q > j + 1 else j
    return j


def _apposition(toks: Sequence[Tok], j: int, end: int) -> int:
    """End of ", der Polizeichef der Region," (comma to comma, or to the cue), or j."""
    if j + 1 >= end or not (cap(toks[j + 1]) or toks[j + 1].low in ARTICLES):
        return j
    sub = collect_np(toks, j + 1, end, limit=12)
    if sub is None or not (sub[1] == end or toks[sub[1]].text == ","):
        return j
    return sub[1]


def collect_np(toks: Sequence[Tok], i: int, end: int, *, stops: frozenset[str] = frozenset(),
               appos: bool = False, limit: int = 16) -> tuple[int, int] | None:
    """Token span [i, j) of a noun phrase starting at i (articles, adjectives, names, genitives,
    "von X", parentheses, quoted names; appositions ", Lars Beringer," only if `appos`)."""
    if i < end and toks[i].low in _PERSONAL:
        return i, i + 1
    if i < end and toks[i].low in _CONJUNCTIONS:
        return None  # "Nachdem die Polizei ...": a clause, not a phrase
    j, depth = i, 0
    while j < end and j - i < limit:
        t = toks[j]
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            if not depth:
                break
            depth -= 1
        elif depth:
            pass
        elif t.low in stops:
            break
        elif cap(t):
            if j > i and t.low in NP_STOP and t.low not in ARTICLES:
                break
        elif t.low in ARTICLES or t.low in _NP_GLUE or t.text in "/&":
            if j > i and t.low in NP_STOP and t.low not in {"der", "des", "von"} and not (
                    t.low == "einer" and source_noun(toks[j - 1])):  # "Angaben einer X"
                break
            if j > i and _new_phrase(toks, j, end):
                break
        elif t.low in _COORD and j > i and j + 1 < end and (
                cap(toks[j + 1]) or toks[j + 1].low in ARTICLES
                or (j + 2 < end and toks[j + 1].low.endswith(_ADJ_END) and cap(toks[j + 2]))):
            pass  # "AFP und Reuters", "die EU-Kommission und die Bundesregierung"
        elif t.text == "." and j > i and toks[j - 1].low in _ABBREV_TITLES:
            pass
        elif j > i and _quoted_name(toks, j, end) > j:
            j = _quoted_name(toks, j, end)
            continue
        elif t.text == "," and appos and j > i:
            nxt = _apposition(toks, j, end)
            if nxt == j:
                break
            j = nxt
            continue
        elif not _adjective(toks, j, end):
            break
        j += 1
    while j > i and (toks[j - 1].low in ARTICLES or toks[j - 1].low in _NP_GLUE
                     or toks[j - 1].text in ",(/&"):
        j -= 1
    if j <= i or (j == i + 1 and toks[i].low in _NOT_SUBJECT):
        return None
    return i, j


_COORD = frozenset({"und", "sowie"})
_GENITIVE = frozenset({"der", "des", "einer", "eines"})


def _new_phrase(toks: Sequence[Tok], j: int, end: int) -> bool:
    """Does article/glue word j start a new phrase instead of continuing the noun phrase?
    After a noun only a genitive article continues it ("Sprecher der Polizei"), not "die",
    "seine" ("der Präsident seine Position"); "von" needs a name or article after it."""
    t, prev = toks[j], toks[j - 1]
    if t.low in ARTICLES:
        return t.low not in _GENITIVE and cap(prev) and prev.low not in ARTICLES
    if t.low in {"von", "für", "aus"} and j + 1 < end:
        nxt = toks[j + 1]
        return not (cap(nxt) or nxt.low in ARTICLES or nxt.low in _NP_GLUE
                    or nxt.low.endswith(_ADJ_END))
    return False


_VORFELD_WORDS = frozenset({"in", "im", "bei", "beim", "an", "auf", "vom", "zum", "zur", "für",
                            "aus", "und", "sowie", "(", ")", "-", "/", "&"})


def extend_vorfeld(toks: Sequence[Tok], np: tuple[int, int], k: int) -> tuple[int, int]:
    """The subject before the finite verb k fills the whole field before it (German verb
    second), so "Der Sprecher der Regierung in Peking sagte" keeps "in Peking"; only names,
    articles, adjectives and prepositions may lie between the phrase and the verb."""
    if k - np[1] > 8 or np[1] >= k:
        return np
    for j in range(np[1], k):
        t = toks[j]
        if not (cap(t) or t.low in ARTICLES or t.low in _NP_GLUE or t.low in _VORFELD_WORDS
                or (t.low.endswith(_ADJ_END) and t.low not in _VERBISH
                    and t.low not in NP_STOP and cap(toks[j + 1]))):
            return np
    return np[0], k


def np_ending_at(toks: Sequence[Tok], a: int, k: int) -> tuple[int, int] | None:
    """The longest phrase that ends right before token k ("behördlichen Angaben" zufolge)."""
    for s in range(max(a, k - 8), k):
        t = toks[s]
        prev_ok = s == a or toks[s - 1].text in ",;:(" or toks[s - 1].low in NP_STOP
        if not (t.low in ARTICLES or cap(t) or prev_ok) or t.text in ",;:()":
            continue
        if s > a and cap(t) and toks[s - 1].low.endswith(_ADJ_END) and not prev_ok:
            continue
        np = collect_np(toks, s, k)
        if np is not None and np[1] == k:
            return np
    return None


def is_role(word: str, lex: Lexicon) -> bool:
    return word in lex.role_words or (word[:1].isupper() and word.lower().endswith(
        lex.role_suffixes))


def name_in(toks: Sequence[Tok], a: int, b: int, lex: Lexicon) -> tuple[int, int, bool]:
    """The speaker inside phrase [a, b): (start, end, person_like) token indices."""
    if b - a > 2 and source_noun(toks[a]) and toks[a + 1].low in _NP_GLUE:
        a += 2  # "Angaben der Polizei" -> "Polizei"
    last_role = -1
    for k in range(a, b):
        if is_role(toks[k].text, lex):
            last_role = k
    if 0 <= last_role < b - 1:
        k = last_role + 1
        while k < b and toks[k].text in ",":
            k += 1
        e = k
        while e < b and (cap(toks[e]) or toks[e].low in {"al", "el", "bin", "von", "van",
                                                          "de", "-"}):
            if is_role(toks[e].text, lex):
                break
            e += 1
        if e > k and cap(toks[k]):
            return k, e, True
    s = a
    while s < b - 1 and (not cap(toks[s]) or toks[s].low in ARTICLES):
        s += 1
    e = s + 1
    while e < b and toks[e].text not in ",()":
        e += 1
    person = (e - s <= 3 and all(cap(t) for t in toks[s:e]) and toks[a].low not in ARTICLES
              and not is_role(toks[s].text, lex) and toks[s].low not in {"er", "sie"})
    return s, e, person


def entity_in(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    """The best entity mention inside [start, end): a person before an organisation."""
    best: Mention | None = None
    rank = {"PER": 0, "ORG": 1, "LOC": 2, "MISC": 3}
    for m in mentions:
        if m.start >= start and m.end <= end and (
            best is None or rank.get(m.type, 4) < rank.get(best.type, 4)
        ):
            best = m
    return best


_PEOPLE_END = ("er", "ern", "ist", "isten", "ent", "enten", "eur", "eure", "euren", "ant",
               "anten", "in", "innen", "te", "ten", "ler", "rat", "amt", "ium", "ei", "ung",
               "schaft", "schaften", "zeuge", "zeugen", "gericht", "gerichtshof", "behörde",
               "behörden", "verband", "dienst", "institut", "komitee", "militär", "kommission",
               "opposition", "organisation", "union", "beide")


def plausible_source(toks: Sequence[Tok], a: int, b: int, mentions: Sequence[Mention],
                     lex: Lexicon) -> bool:
    """Can phrase [a, b) speak? A pronoun, a role, a source noun ("Angaben"), an entity, or
    a noun for people or bodies ("Die Veranstalter", "das Ministerium"); not "Die Lage"."""
    if b - a == 1 and toks[a].low in _PERSONAL | {"demnach", "demzufolge", "wonach"}:
        return True
    start, end = toks[a].start, toks[b - 1].end
    if any(m.start < end and start < m.end for m in mentions):
        return True
    for t in toks[a:b]:
        if is_role(t.text, lex) or source_noun(t) or (
                cap(t) and t.low not in ARTICLES and t.low.endswith(_PEOPLE_END)):
            return True
    return toks[a].low in ARTICLES and any(_acronym(t.text) for t in toks[a + 1:b])


def _acronym(word: str) -> bool:
    """"BGH", "SPD", "FBI": with an article before it ("Der BGH widersprach"), an acronym is
    a body that can speak, whether or not the entities model tagged it."""
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()
