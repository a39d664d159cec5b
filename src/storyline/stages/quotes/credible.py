"""Who can be a speaker: a person, an organisation or a role phrase ("der Sprecher des
Kremls"), never an adverb that opens a sentence ("Ohnehin", "Darunter"), a pronoun left
unresolved ("I"), a document, law or meeting ("Erklärung", "Benn-Gesetz", "Verhandlungsrunde").

A one-word speaker with no person or organisation entity on it must read as an agent: a role
word, or a noun that ends like a body or a group of people (the endings below); the NER
lexicon (Wiktionary noun classes, word frequencies) tells a capitalised function word from a
noun. Rules, not a model: SpkAtt scores the source phrase as written, not the name, so there
is no gold to learn this from.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.model import Mention
from storyline.stages.entities.features import lexicon as ner_lexicon
from storyline.stages.quotes.lex import Lexicon
from storyline.stages.quotes.speaker import SOURCE_NOUNS, is_role
from storyline.stopwords import stop_words

APPOSITION_GAP = 40  # characters between a role phrase and the name in apposition
PRONOUNS = frozenset({"i", "we", "you", "ich", "wir", "du", "ihr", "man", "es", "it"})
# endings of nouns for bodies and groups of people (Regierung, Ministerium, Diplomaten)
AGENT_ENDINGS = (
    "regierung", "verwaltung", "führung", "leitung", "stiftung", "vertretung", "versammlung",
    "vereinigung", "bewegung", "polizei", "armee", "militär", "partei", "behörde", "behörden",
    "amt", "ämter", "ministerium", "ministerien", "kommission", "rat", "räte", "gericht",
    "verband", "verbände", "dienst", "dienste", "institut", "komitee", "opposition",
    "organisation", "union", "gewerkschaft", "gesellschaft", "konzern", "unternehmen", "bund",
    "kreise", "wehr", "agentur", "zeitung", "sender", "büro", "stab", "stelle", "zentrale",
    "er", "ern", "ist", "isten", "ent", "enten", "eur", "eure", "euren", "ant", "anten",
    "aten", "oten", "innen", "leute", "zeuge", "zeugen", "ärzte", "experten", "team", "staff",
    "office", "police", "government", "ministry", "spokesman", "spokeswoman", "officials",
    "agency", "council", "court", "army", "union", "party", "committee", "department")


def _agent_noun(word: str, lex: Lexicon) -> bool:
    low = word.lower()
    return is_role(word, lex) or low.endswith(AGENT_ENDINGS)


def apposed_person(text: str, mentions: Sequence[Mention], end: int) -> Mention | None:
    """A person named in apposition right after a phrase: "Russlands UN-Botschafter in
    Genf, Alexej Borodawkin, erklärte" -> Alexej Borodawkin."""
    for m in mentions:
        if m.type != "PER" or not end <= m.start <= end + APPOSITION_GAP:
            continue
        between = text[end:m.start]
        # only a short place or preposition may stand between: "… in Genf, Alexej …"
        if between.rstrip().endswith(",") and between.count(",") == 1 and not any(
                ch in between for ch in ".;:!?\"„“”»«") and text[m.end:m.end + 1] == ",":
            return m
    return None


def _function_word(word: str) -> bool:
    """A stop word, or a word frequent lowercase in one language only that the lexicon does
    not know capitalised (a German adverb, an English verb); names such as "Smith" are
    frequent in both or known capitalised."""
    low = word.lower()
    if low in stop_words("de") or low in stop_words("en"):
        return True
    if word.isupper() or ner_lexicon().get(word) is not None:
        return False
    de, en, _ = ner_lexicon().get(low, ("0", "0", ""))
    return (de >= "4" and en in {"", "0"}) or (en >= "5" and de <= "3")


def credible(name: str, start: int, end: int, mentions: Sequence[Mention],
             lex: Lexicon) -> bool:
    """Can the span [start, end) named `name` be credited with a statement?"""
    words = name.split()
    if not words:
        return False
    ents = [m for m in mentions if m.start < end and start < m.end]
    if len(words) == 1 and (words[0].lower() in PRONOUNS or len(words[0].strip(".")) <= 1):
        return False
    if any(m.type in {"PER", "ORG"} for m in ents):
        return True
    if len(words) > 1:
        return True  # a phrase: "Sprecher des Krisenstabs", "Die Organisatoren"
    word = words[0]
    low = word.lower()
    if low in PRONOUNS or len(word.strip(".")) <= 1:  # "I", "U" of a split "U.N."
        return False
    if ents and all(m.type == "MISC" for m in ents):  # "Benn-Gesetz": what, not who
        return _agent_noun(word.rsplit("-", 1)[-1], lex)
    if ents:  # a place: "Moskau erklärte" (a capital for its government) stays
        return True
    if not word[:1].isupper() or _function_word(word):
        return False  # "Ohnehin", "Darunter", "Let": a word opening the sentence
    if low.endswith(SOURCE_NOUNS):
        return False  # a bare source noun ("Erklärung", "UN-Angaben") names a document
    if _agent_noun(word, lex):
        return True
    return _head_noun(word) is None  # no common noun at its end: a name ("Schoigu")


def _head_noun(word: str) -> str | None:
    """The common noun a word (a German compound) ends in: "Verhandlungsrunde" -> "Runde"."""
    known = ner_lexicon()
    for i in range(0, max(1, len(word) - 3)):
        part = word[i:].lstrip("-")
        part = part[:1].upper() + part[1:]
        if len(part) >= 4 and "N" in (known.get(part) or ("", "", ""))[2]:
            return part
    return None
