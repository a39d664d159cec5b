"""Canonical keys across spellings, roles and in-article merging."""

from __future__ import annotations

from storyline.model import Mention
from storyline.stages.entities.names import canonical_key, fold, is_role, resolve


def test_romanisations_share_a_key() -> None:
    key = canonical_key("Sergej Lawrow", "PER")
    assert key == "PER:s.lavrov"
    for variant in ("Sergey Lavrov", "Sergei Lavrov", "Sergej Wiktorowitsch Lawrow"):
        assert canonical_key(variant, "PER") == key
    assert canonical_key("Lawrow", "PER") == canonical_key("Lavrov", "PER") == "PER:lavrov"
    assert canonical_key("Schoigu", "PER") == canonical_key("Shoigu", "PER")
    assert canonical_key("Sergej Schoigu", "PER") == canonical_key("Sergei Shoigu", "PER")
    assert canonical_key("Baschar al-Assad", "PER") == canonical_key("Bashar al-Asad", "PER")
    assert canonical_key("Wladimir Putin", "PER") == canonical_key("Vladimir Putin", "PER")
    assert canonical_key("Selenskyj", "PER") == canonical_key("Zelensky", "PER")


def test_the_given_name_is_a_first_name_not_a_role_title_or_place() -> None:
    same = [("German Chancellor Angela Merkel", "Angela Merkel"),
            ("D. Dr. Helmut Kohl", "Helmut Kohl"),
            ("Paris Prosecutor François Molins", "François Molins"),
            ("Sevastopol Mayor Aleksei Chaliy", "Aleksei Chaly"),
            ("Jean-Marie Le Pen", "Jean Marie Le Pen"),
            ("Karl Theodor zu Guttenberg", "Karl-Theodor zu Guttenberg")]
    for a, b in same:
        assert canonical_key(a, "PER") == canonical_key(b, "PER"), (a, b)
    for title in ("Mr Lindner", "Dr Merkel", "Le Pen", "Dr zu Guttenberg"):
        assert "." not in canonical_key(title, "PER"), title  # a surname alone
    # given names no list has still tell brothers apart
    assert canonical_key("Dzhokhar Tsarnaev", "PER") != canonical_key("Tamerlan Tsarnaev", "PER")
    assert canonical_key("Fidel Castro", "PER") != canonical_key("Raúl Castro", "PER")


def test_different_people_stay_apart() -> None:
    assert canonical_key("John Kerry", "PER") != canonical_key("John Kirby", "PER")
    assert canonical_key("Boris Johnson", "PER") != canonical_key("Mary Johnson", "PER")
    assert canonical_key("Johnson", "PER") not in (canonical_key("Boris Johnson", "PER"),
                                                   canonical_key("Mary Johnson", "PER"))
    assert canonical_key("Putin", "PER") != canonical_key("Peskow", "PER")
    assert canonical_key("Aleppo", "LOC") != canonical_key("Aleppo", "PER")


def test_fold_is_spelling_only_and_keys_merge_translations() -> None:
    assert fold("Moskau") != fold("Moscow")  # translations are not spellings
    for german, english in (("Moskau", "Moscow"), ("Genf", "Geneva"), ("Russland", "Russia"),
                            ("Damaskus", "Damascus"), ("UNO", "UN")):
        assert canonical_key(german, "LOC") == canonical_key(english, "LOC"), german
    assert canonical_key("Paris", "LOC") != canonical_key("Moskau", "LOC")
    assert fold("Müller") == fold("Mueller") == fold("MULLER")


def test_role_words() -> None:
    assert is_role("US-Außenminister")
    assert is_role("Präsident")
    assert is_role("Verteidigungsminister")
    assert not is_role("Wladimir")
    assert not is_role("außenminister")


def test_resolve_merges_short_and_genitive_forms() -> None:
    text = "Präsident Wladimir Putin reiste ab. Putins Sprecher sagte, Putin sei zufrieden."
    spans = [(0, 24), (36, 42), (59, 64)]
    got = resolve(text, [Mention(text[a:b], "PER", a, b) for a, b in spans])
    assert [(m.text, m.canonical, m.role) for m in got] == [
        ("Wladimir Putin", "Wladimir Putin", "Präsident"),
        ("Putins", "Wladimir Putin", None),
        ("Putin", "Wladimir Putin", None),
    ]
    assert all(text[m.start:m.end] == m.text for m in got)


def test_a_bare_surname_joins_a_full_name_only_when_the_article_has_one() -> None:
    text = ("Boris Johnson sprach. Mary Johnson, die Schulleiterin, widersprach. "
            "Johnson sagte, Sergej Lawrow und Lawrow seien eins.")
    names = ("Boris Johnson", "Mary Johnson", "Johnson", "Sergej Lawrow", "Lawrow")
    spans, at = [], 0
    for name in names:
        at = text.index(name, at)
        spans.append(Mention(name, "PER", at, at + len(name)))
        at += len(name)
    got = {(m.text, m.canonical) for m in resolve(text, spans)}
    assert ("Johnson", "Johnson") in got  # two Johnsons here: the bare one stays itself
    assert ("Lawrow", "Sergej Lawrow") in got  # one Lawrow: joins him


def test_noun_compounds_are_no_names_and_genitive_orgs_merge() -> None:
    from storyline.stages.entities.names import (
        cut_genitive_nouns,
        merge_genitive_orgs,
        noun_compound,
    )

    assert noun_compound("Syrien-Gespräche") and noun_compound("US-Drohung")
    assert not noun_compound("UN-Sicherheitsrat") and not noun_compound("US-Außenministerium")
    assert not noun_compound("Ost-Aleppo") and not noun_compound("Baden-Württemberg")
    text = "Dies teilte Russlands Außenministerium mit."
    a, b = text.index("Russlands"), text.index("Außen")
    merged = merge_genitive_orgs(text, [Mention("Russlands", "LOC", a, a + 9),
                                        Mention("Außenministerium", "ORG", b, b + 16)])
    assert [(m.text, m.type) for m in merged] == [("Russlands Außenministerium", "ORG")]
    text = "Lawrows Sprecher sagte, Hubertus Heil und Peter Wolf seien da."
    spans = [("Lawrows Sprecher", 0), ("Hubertus Heil", 24), ("Peter Wolf", 42)]
    cut = cut_genitive_nouns(text, [Mention(t, "PER", a, a + len(t)) for t, a in spans])
    assert [m.text for m in cut] == ["Lawrows", "Hubertus Heil", "Peter Wolf"]
    assert all(text[m.start:m.end] == m.text for m in cut)
