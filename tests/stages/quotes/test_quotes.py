"""Quotes stage on news-style sentences written for these tests (and the shared seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import settings as settings_mod
from storyline.model import Article, Mention, Quote
from storyline.stages import quotes
from tests.conftest import SHARED_REASON

SEEDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds"


def _run(text: str, lang: str = "de", entities: list[Mention] | None = None) -> list[Quote]:
    art = Article(source="test", raw_text=text, text=text, lang=lang,
                  entities=entities or [])
    return quotes.run(art, settings_mod.load()).quotes


def _check_offsets(text: str, qs: list[Quote]) -> None:
    for q in qs:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        if q.speaker_start is not None:
            assert q.speaker_end is not None
            assert 0 <= q.speaker_start < q.speaker_end <= len(text)
            assert text[q.speaker_start:q.speaker_end] == q.speaker


def test_direct_quote_with_so_speaker_and_split_quote() -> None:
    text = ("„Wir stehen mit Washington in ständigem Kontakt“, so Schoigu. "
            "„Eine Lösung ist in Sicht.“ Die Gespräche gehen am Montag weiter.")
    qs = _run(text)
    _check_offsets(text, qs)
    assert [q.kind for q in qs] == ["direct", "direct"]
    assert qs[0].text == "„Wir stehen mit Washington in ständigem Kontakt“"
    assert qs[0].speaker == "Schoigu" and qs[0].cue == "so"
    assert qs[1].text == "„Eine Lösung ist in Sicht.“"
    assert qs[1].speaker == "Schoigu"


def test_quote_spanning_sentences_and_other_marks() -> None:
    text = ("Der Bürgermeister sagte: »Die Brücke bleibt gesperrt. Wir prüfen jeden Pfeiler.« "
            "Danach fuhr er ab.")
    qs = _run(text)
    _check_offsets(text, qs)
    assert len(qs) == 1
    assert qs[0].text == "»Die Brücke bleibt gesperrt. Wir prüfen jeden Pfeiler.«"
    assert qs[0].speaker == "Bürgermeister" and qs[0].cue == "sagte"


def test_sagte_sprecher_john_kirby() -> None:
    text = ("Die Kontakte würden ausgesetzt, bis die Angriffe aufhörten, sagte Sprecher "
            "John Kirby am Montag in Washington.")
    (q,) = _run(text)
    _check_offsets(text, [q])
    assert q.kind == "indirect"
    assert q.text == "Die Kontakte würden ausgesetzt, bis die Angriffe aufhörten"
    assert q.speaker == "John Kirby"
    assert q.cue == "sagte"


def test_konjunktiv_with_speaker_and_continuation() -> None:
    text = ("Außenministerin Petra Lindner sagte, die Verhandlungen seien gescheitert. "
            "Eine neue Runde werde es vorerst nicht geben. Das Wetter war sonnig.")
    qs = _run(text)
    _check_offsets(text, qs)
    assert [q.text for q in qs] == ["die Verhandlungen seien gescheitert",
                                    "Eine neue Runde werde es vorerst nicht geben."]
    assert {q.speaker for q in qs} == {"Petra Lindner"}


def test_wie_es_aus_dem_ministerium_heisst() -> None:
    text = "Die Hilfslieferungen sollen am Freitag beginnen, wie es aus dem Ministerium heißt."
    (q,) = _run(text)
    assert q.text == "Die Hilfslieferungen sollen am Freitag beginnen"
    assert q.speaker == "Ministerium" and q.cue == "heißt"


def test_pronoun_resolves_to_previous_named_person() -> None:
    text = ("Die Ministerin Anna Keller besuchte am Dienstag das Lager. "
            "Sie sagte, die Lage sei dramatisch.")
    (q,) = _run(text)
    assert q.text == "die Lage sei dramatisch"
    assert q.speaker == "Anna Keller"
    _check_offsets(text, [q])


def test_pronoun_uses_entities_and_canonical() -> None:
    text = "Sergej Lawrow traf Kerry in Genf. Er erklärte, man sei sich fast einig."
    ents = [Mention("Sergej Lawrow", "PER", 0, 13, canonical="Sergei Lavrov"),
            Mention("Kerry", "PER", 19, 24, canonical="John Kerry"),
            Mention("Genf", "LOC", 28, 32, canonical="Genf")]
    (q,) = _run(text, entities=ents)
    assert q.speaker == "Kerry" and q.speaker_canonical == "John Kerry"
    text2 = "Kerry traf Sergej Lawrow in Genf. Ministerin Anna Keller sagte, es sei gut."
    ents2 = [Mention("Kerry", "PER", 0, 5, canonical="John Kerry"),
             Mention("Sergej Lawrow", "PER", 11, 24, canonical="Sergei Lavrov")]
    (q2,) = _run(text2, entities=ents2)
    assert q2.speaker == "Anna Keller"  # no entity in the phrase: fall back to the name


def test_speaker_entity_canonical_in_phrase() -> None:
    text = "Der Einsatz sei beendet, erklärte General Viktor Posnichir."
    start = text.index("Viktor")
    ents = [Mention("Viktor Posnichir", "PER", start, start + 16, canonical="V. Posnichir")]
    (q,) = _run(text, entities=ents)
    assert q.text == "Der Einsatz sei beendet"
    assert q.speaker == "Viktor Posnichir" and q.speaker_canonical == "V. Posnichir"


def test_laut_and_nach_angaben() -> None:
    text = ("Laut Polizei wurden drei Menschen verletzt. "
            "Nach Angaben der Feuerwehr brannte das Dach vollständig aus.")
    qs = _run(text)
    assert [q.speaker for q in qs] == ["Polizei", "Feuerwehr"]
    assert qs[1].text == "brannte das Dach vollständig aus"


def test_english_said_and_according_to() -> None:
    text = ("Foreign Minister Jane Doe said the talks would resume next week. "
            "The ceasefire is holding, according to the United Nations.")
    qs = _run(text, lang="en")
    _check_offsets(text, qs)
    assert [q.text for q in qs] == ["the talks would resume next week",
                                    "The ceasefire is holding"]
    assert [q.speaker for q in qs] == ["Jane Doe", "United Nations"]
    q = _run("“We will not give up,” Smith said.", lang="en")[0]
    assert q.text == "“We will not give up,”" and q.speaker == "Smith"


def test_reported_speech_without_clause_and_soll_continuation() -> None:
    text = ("Der Bürgermeister Karl Brandt sprach von einem schwarzen Tag für die Stadt. "
            "Der Brand soll in der Küche ausgebrochen sein. Der Zug fuhr ab.")
    qs = _run(text)
    _check_offsets(text, qs)
    assert [q.text for q in qs] == [
        "Der Bürgermeister Karl Brandt sprach von einem schwarzen Tag für die Stadt",
        "Der Brand soll in der Küche ausgebrochen sein."]
    assert [q.speaker for q in qs] == ["Karl Brandt", "Karl Brandt"]
    assert _run("Die Firma veröffentlichte am Montag neue Zahlen.") == []


def test_borrowed_source_must_be_able_to_speak() -> None:
    ents = [Mention("Aleppo", "LOC", 0, 6, canonical="Aleppo")]
    quote = "„Wir haben seit Tagen kein Wasser, keinen Strom und keine Medikamente mehr.“"
    text = "Aleppo liegt im Norden. Die Lage im Osten blieb angespannt. " + quote
    (q,) = _run(text, entities=ents)
    assert q.kind == "direct" and q.speaker is None
    text = "Aleppo liegt im Norden. Die Bewohner im Osten harrten aus. " + quote
    (q,) = _run(text, entities=ents)
    assert q.speaker == "Bewohner"


def test_no_quote_in_plain_report() -> None:
    text = "Der Zug fuhr um acht Uhr ab. Er erreichte Berlin am Abend."
    assert _run(text) == []


@pytest.mark.parametrize("text", [
    "",
    "   \n\n ",
    "„Das ist nie zu Ende, sagte er und ging. Danach kam nichts mehr",
    "» « „ “ \" \" ” „",
    "sagte so laut zufolge wie nach dass , , : „",
    "ohne jeden punkt und ohne komma sagte der mann es sei alles gut gewesen meinte er",
    "Er sagte, " * 5000,
])
def test_bad_input_never_crashes(text: str) -> None:
    _check_offsets(text, _run(text))


def test_large_text_offsets() -> None:
    block = ("„Wir bleiben“, so Schoigu. Laut Polizei sei alles ruhig. Er sagte: „Gut. "
             "Danach, wie es heißt, regnete es „stark“. ")
    text = block * (200_000 // len(block))
    qs = _run(text)
    _check_offsets(text, qs)
    assert len(qs) > 1000


def test_seed_articles_offsets_and_known_speakers() -> None:
    if not SEEDS.is_dir():
        pytest.skip(SHARED_REASON)
    speakers: set[str] = set()
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text("utf-8")
        qs = _run(text)
        _check_offsets(text, qs)
        speakers |= {q.speaker for q in qs if q.speaker}
    assert {"Schoigu", "John Kirby"} <= speakers


def _sources(text: str, entities: list[Mention] | None = None) -> list[str | None]:
    """The source phrase as written next to each statement (what SpkAtt scores)."""
    return [text[s.source_start:s.source_end] if s.source_start is not None else None
            for s in quotes.extract(text, entities or [])]


def test_reported_act_subject_first_fronted_and_with_auxiliary() -> None:
    text = ("Die Gewerkschaft der Lokführer fordert höhere Löhne für alle Beschäftigten. "
            "Dabei bezeichnete er die Lage als sehr ernst. "
            "Der Minister hat seinen Rücktritt für den Herbst angekündigt. "
            "Die Bahn fährt am Montag wieder nach Plan.")
    qs = _run(text)
    _check_offsets(text, qs)
    assert [q.text for q in qs] == [
        "Die Gewerkschaft der Lokführer fordert höhere Löhne für alle Beschäftigten",
        "Dabei bezeichnete er die Lage als sehr ernst",
        "Der Minister hat seinen Rücktritt für den Herbst angekündigt"]
    assert _sources(text) == ["Die Gewerkschaft der Lokführer", "er", "Der Minister"]


def test_reported_act_needs_a_subject_that_can_speak() -> None:
    ents = [Mention("Lisa Maier", "PER", 0, 10, canonical="Lisa Maier")]
    text = "Lisa Maier kam aus Bonn. Die Lage fordert viel Geduld von allen Beteiligten."
    assert [q.text for q in _run(text, entities=ents)] == []
    assert _run("Wir fordern höhere Löhne für alle Beschäftigten der Bahn.") == []


def test_speaker_phrase_keeps_place_apposition_and_coordination() -> None:
    text = ("Der Sprecher der Regierung in Peking sagte, die Grenze bleibe vorerst offen. "
            "Die Lage sei ruhig, sagte Anna Berg, die Leiterin des Krisenstabs. "
            "Nach Angaben von AFP und Reuters wurden drei Menschen verletzt.")
    assert _sources(text) == ["Der Sprecher der Regierung in Peking",
                              "Anna Berg, die Leiterin des Krisenstabs",
                              "Angaben von AFP und Reuters"]


def test_speaker_phrase_stops_before_an_object() -> None:
    text = "Zuvor hatte der Präsident seine Position erklärt, die Reform komme zu spät."
    assert _sources(text) == ["der Präsident"]


def test_konjunktiv_and_hearsay_sentences_keep_the_last_source() -> None:
    text = ("Der Polizeisprecher Jan Roth sagte, der Täter sei geflohen. "
            "Die Feuerwehr löschte den Brand in der Nacht. "
            "Zur Panik bestehe aber keine Veranlassung. "
            "Der Täter soll das Haus durch ein Fenster verlassen haben.")
    qs = _run(text)
    _check_offsets(text, qs)
    assert [q.text for q in qs] == [  # consecutive reported sentences form one statement
        "der Täter sei geflohen",
        "Zur Panik bestehe aber keine Veranlassung. "
        "Der Täter soll das Haus durch ein Fenster verlassen haben."]
    assert [q.speaker for q in qs] == ["Jan Roth"] * 2
    text = ("Der Polizeisprecher Jan Roth sagte, der Täter sei geflohen. "
            "Die Feuerwehr löschte den Brand in der Nacht. "
            "Der Täter soll das Haus durch ein Fenster verlassen haben.")
    assert [q.speaker for q in _run(text)] == ["Jan Roth"] * 2
    assert _run("Deshalb danke ich allen Helfern. Dann eröffne ich die Sitzung.") == []


def test_short_quote_named_by_cue_and_quoted_names() -> None:
    text = ("Der Innenminister Frankreichs, Nicolas Sarkozy, bezeichnete die Randalierer als "
            "„Gesindel“. Die Zeitung „Le Monde“ berichtete am Montag darüber.")
    qs = _run(text)
    _check_offsets(text, qs)
    assert [(q.kind, q.text) for q in qs] == [
        ("direct", "„Gesindel“"),
        ("indirect", "Die Zeitung „Le Monde“ berichtete am Montag darüber")]
    assert _sources(text) == ["Der Innenminister Frankreichs, Nicolas Sarkozy",
                              "Die Zeitung „Le Monde“"]


def test_cue_after_the_message_with_auxiliary_or_participle_inside() -> None:
    text = ("Das Werk sei im Vorjahr ausdrücklich gelobt worden, berichtete Sprecher Tom Ried. "
            "Es drohe ein Wettlauf, hatte Obama am Montag in Moskau gesagt. "
            "Jan Ott, ein Abgeordneter aus Kiel und Oberst außer Dienst, sagte zu den "
            "Vorwürfen, dass der Vorfall kein Unfall gewesen sei.")
    qs = _run(text)
    _check_offsets(text, qs)
    assert [q.text for q in qs] == [
        "Das Werk sei im Vorjahr ausdrücklich gelobt worden", "Es drohe ein Wettlauf",
        "dass der Vorfall kein Unfall gewesen sei"]
    assert [q.cue for q in qs] == ["berichtete", "gesagt", "sagte"]
    assert _sources(text) == ["Sprecher Tom Ried", "Obama", "Jan Ott"]


def test_speaker_phrase_genitive_digit_names_and_coordinated_subjects() -> None:
    text = ("Nach Angaben einer Bauerngewerkschaft wurden drei Bauern verletzt. "
            "Die Brücke sei gesperrt, berichtete eine Reporterin von n24. "
            "Der Sprecher der Stadt und andere Mitarbeiter der Verwaltung erklärten, die "
            "Schulen blieben geschlossen.")
    assert _sources(text) == ["Angaben einer Bauerngewerkschaft", "eine Reporterin von n24",
                              "Der Sprecher der Stadt und andere Mitarbeiter der Verwaltung"]


def test_role_without_name_refers_back_to_the_named_person() -> None:
    text = ("Außenminister Jan Roth traf am Montag in Paris ein. "
            "Die Gespräche seien gut verlaufen, sagte der Minister. "
            "Die Sprecherin sagte, es gebe keine Einigung.")
    qs = _run(text)
    _check_offsets(text, qs)
    assert [q.speaker for q in qs] == ["Jan Roth", "Sprecherin"]
    assert _sources(text) == ["der Minister", "Die Sprecherin"]
