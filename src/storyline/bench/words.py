"""The vocabulary of the synthetic bench corpus (`synth`), German and English, written for it.

Hand-listed: a few hundred common news words; no corpus or library supplies them in a form
that a generator can recombine deterministically. Nouns are combined (German compounds,
English noun pairs) into a vocabulary of thousands, so two texts built from it share
few 5-word runs unless one copies the other.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import accumulate

from storyline.stopwords import stop_words


def _w(words: str, sep: str | None = None) -> list[str]:
    return words.split(sep)


# German base nouns with their gender (m/f/n) and prefixes for compounds
DE_BASES = [(w[0], w[2:]) for w in _w(
    "m:Streit f:Reform n:Gesetz m:Plan f:Debatte n:Verfahren m:Bericht f:Krise n:Programm "
    "m:Ausschuss f:Kommission n:Abkommen m:Vertrag f:Untersuchung n:Urteil m:Protest "
    "f:Abstimmung n:Treffen m:Kompromiss f:Verhandlung n:Paket m:Entwurf f:Maßnahme "
    "n:Budget m:Gipfel f:Anhörung n:Konzept m:Haushalt f:Behörde n:Ministerium m:Antrag "
    "f:Forderung n:Verbot m:Zuschuss f:Prüfung n:Netz m:Markt f:Lage n:Ziel m:Schaden "
    "f:Frist m:Streik f:Wahl n:Projekt m:Einsatz f:Klage n:Gutachten m:Fonds f:Strategie "
    "n:Register m:Beschluss")]
DE_PREFIXES = _w(
    "Haushalts Sicherheits Wahl Energie Gesundheits Verkehrs Bildungs Klima Wohnungs Grenz "
    "Polizei Finanz Steuer Renten Handels Agrar Justiz Kultur Sport Wasser Hafen Bahn Schul "
    "Kranken Arbeits Umwelt Flughafen Landes Stadt Bundes")
DE_ARTICLE = {"m": ("der", "den", "dem"), "f": ("die", "die", "der"), "n": ("das", "das", "dem")}
DE_ADJ = _w("neu umstritten geplant dringend erst weiter kommunal regional öffentlich "
          "zusätzlich langfristig kurzfristig deutlich schwierig wichtig gemeinsam offen "
          "heftig politisch wirtschaftlich knapp teuer lang")
DE_PARTICIPLES = _w("kritisiert gefordert angekündigt vorgelegt abgelehnt begrüßt geprüft "
                  "verschoben beschlossen bestätigt zurückgewiesen verteidigt unterstützt "
                  "eingebracht gestoppt verlängert erweitert untersucht kommentiert "
                  "vorbereitet")
DE_PRESENT = _w("fordert kritisiert plant prüft unterstützt verteidigt begrüßt erwartet "
              "bezweifelt beobachtet verlangt befürwortet")
DE_PLURALS = _w("Menschen Haushalte Betriebe Schulen Wohnungen Stellen Fälle Anträge Fahrzeuge "
              "Beschäftigte Familien Gemeinden Patienten Verfahren")
DE_ADVERBS = _w("zunächst inzwischen bereits erneut offenbar ebenfalls weiterhin kaum vorerst "
              "zudem allerdings jedoch")
DE_MONTHS = _w("Januar Februar März April Mai Juni Juli August September Oktober November "
             "Dezember")
DE_WEEKDAYS = _w("Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag")
DE_ROLES = _w("Innenminister Bürgermeisterin Sprecher Außenministerin Polizeichef "
            "Gewerkschaftschefin Landrat Fraktionschefin Staatssekretär Richterin")
DE_ORGS = _w("Verband Stiftung Bund Rat Institut Werke Gruppe")
DE_TRIGGERS = [(w[0], w[2:]) for w in _w(
    "m:Anschlag f:Festnahme m:Rücktritt n:Unglück f:Entscheidung m:Brand f:Einigung "
    "m:Unfall f:Razzia m:Durchbruch n:Hochwasser f:Wahl m:Ausfall f:Explosion n:Beben "
    "m:Fund")]

EN_ADJ = _w("new disputed planned urgent first further local provincial public additional "
          "long-term short-term clear difficult important joint open fierce political "
          "economic narrow costly lengthy")
EN_PAST = _w("criticised demanded announced presented rejected welcomed examined postponed "
           "approved confirmed dismissed defended backed introduced halted extended expanded "
           "investigated questioned prepared")
EN_PRESENT = _w("demands criticises plans examines supports defends welcomes expects doubts "
              "watches requests favours")
EN_PLURALS = _w("people households companies schools homes jobs cases applications vehicles "
              "workers families towns patients proceedings")
EN_ADVERBS = _w("initially meanwhile already again apparently also still hardly "
              "for now moreover however")
EN_MONTHS = _w("January February March April May June July August September October November "
             "December")
EN_WEEKDAYS = _w("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
EN_ROLES = _w("interior minister|mayor|spokesman|foreign minister|police chief|union leader|"
               "district chief|party leader|state secretary|judge", "|")
EN_ORGS = _w("Association Foundation Federation Council Institute Works Group")
EN_TRIGGERS = _w("attack arrest resignation accident decision fire agreement crash raid "
               "breakthrough flood election outage explosion earthquake discovery")

FIRST_NAMES = _w("Anna Jonas Petra Karim Sofia Lukas Mira Olga Tomasz Ines Viktor Leila Martin "
               "Greta Samuel Yusuf Elena Henrik Clara Emil Nadia Oskar Paula Rafael")
SYLLABLES = _w("ber lin dor wal ten mar ken sel hau sen ro da tra vi no ka stein feld burg au "
             "el mi ra to")
AGENCIES = {"de": ["dpa", "AFP", "epd", "KNA"], "en": ["Reuters", "AP", "UPI"]}
TAILS = [
    "Meistgelesene Artikel\n{t1}\n{t2}\n{t3}",
    "Zum Thema:\n{t1}\n{t2}",
    "Mehr zu diesem Thema\n{t1}\nKommentare",
    "Teilen\nTwittern\nDrucken\nTags: {t1}",
    "Read more\n{t1}\n{t2}",
]


@lru_cache(maxsize=2)
def common_nouns(lang: str) -> tuple[list[tuple[str, str]], list[float]]:
    """The general vocabulary: (gender, noun) and cumulative weights, the 20,000 most frequent
    words of the language in wordfreq, weighted by their frequency (a real Zipf curve: the
    stream's vocabulary is wide and two unrelated texts share few rare words). German keeps
    the words simplemma knows only as nouns (capitalised lemmas), with a gender guessed from
    the ending (grammar is not what the bench measures)."""
    import wordfreq
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    skip = stop_words(lang)
    top = [w for w in wordfreq.top_n_list(lang, 20_000)
           if w.isalpha() and len(w) >= 4 and w not in skip]
    if lang == "de":
        forms = DefaultDictionaryFactory().get_dictionary("de")
        lemmas = set(forms.values())
        top = [w.capitalize() for w in top
               if w.capitalize() in lemmas and w not in lemmas and w not in forms]
    words = [(_gender(w) if lang == "de" else "", w) for w in top]
    cumulative = list(accumulate(wordfreq.word_frequency(w.lower(), lang) for _, w in words))
    return words, cumulative


def _gender(noun: str) -> str:
    if noun.endswith(("ung", "heit", "keit", "schaft", "ion", "tät", "e", "ik", "ur")):
        return "f"
    if noun.endswith(("chen", "lein", "um", "ment", "nis", "tum")):
        return "n"
    return "m"


@lru_cache(maxsize=2)
def verbs_adjectives(lang: str) -> tuple[list[str], list[str]]:
    """Frequent infinitives and uninflected adjectives of `lang` among wordfreq's 20,000 most
    frequent words (a skeleton of a dozen verbs would be shared by every text, which no real
    stream is). German: lower-case simplemma lemmas, verbs by their ending; English: lemmas
    with three or more inflected forms are verbs, adjectives go by their suffix."""
    import wordfreq
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    forms = DefaultDictionaryFactory().get_dictionary(lang)
    skip = stop_words(lang)
    top = [w for w in wordfreq.top_n_list(lang, 20_000)
           if w.isalpha() and w.islower() and len(w) >= 5 and w not in skip]
    if lang == "de":
        lemmas = set(forms.values())
        top = [w for w in top if w in lemmas]
        return [w for w in top if w.endswith(("en", "ern", "eln"))], \
            [w for w in top if not w.endswith("n")]
    inflected = Counter(v for k, v in forms.items() if k != v)
    return [w for w in top if inflected[w] >= 3], \
        [w for w in top if w.endswith(("al", "ive", "ous", "ful", "able", "ic", "ent", "ant"))]


def present(verb: str, lang: str) -> str:
    """Third person singular, regular rule only (an irregular verb comes out wrong: the bench
    measures cost, not grammar)."""
    if lang == "en":
        return verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")
    stem = verb[:-2] if verb.endswith("en") else verb[:-1]
    return stem + ("et" if stem.endswith(("t", "d")) else "t")


def participle(verb: str, lang: str) -> str:
    if lang == "en":
        return verb + ("d" if verb.endswith("e") else "ed")
    stem = verb[:-2] if verb.endswith("en") else verb[:-1]
    prefix = "" if verb.startswith(("be", "ver", "er", "ent", "zer", "ge", "über")) else "ge"
    return prefix + stem + ("et" if stem.endswith(("t", "d")) else "t")
