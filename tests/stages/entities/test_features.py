"""The distributional and span features the NER CRFs read: word clusters, lemmas and runs of
capitalised words."""

from __future__ import annotations

from storyline.stages.entities import features


def test_capitalised_runs_span_connectors_and_see_organisation_heads() -> None:
    words = ["He", "works", "for", "the", "Bank", "of", "America", "in", "New", "York", "."]
    runs = features.cap_runs(words)
    assert runs[0] == "S10"  # "He": a run of one, no organisation word
    assert runs[4:7] == ["B31", "I31", "E31"]  # "Bank of America": "of" inside, "Bank" heads
    assert runs[7] == "" and runs[8:10] == ["B20", "E20"]
    german = ["Der", "FC", "Carl", "Zeiss", "Jena", "gewann", "in", "Halle", "."]
    assert features.cap_runs(german)[:5] == ["B41", "I41", "I41", "I41", "E41"]
    assert features.cap_runs(["of", "the"]) == ["", ""]  # connectors alone are no run


def test_clusters_group_words_used_alike_and_fall_back_to_other_forms() -> None:
    table = features.clusters()
    assert len(table) > 20_000
    assert features.cluster("Paris", "Paris") == features.cluster("London", "London")
    # a sentence start, a headline in capitals and an inflected form find the word's cluster
    assert features.cluster("Regierung", "Regierung") == table["Regierung"]
    assert features.cluster("REGIERUNG", "REGIERUNG") == table["Regierung"]
    assert features.cluster("Xyzzyqwv", "Xyzzyqwv") == features.NO_CLUSTER
    assert features.lemma("Ministeriums") == "Ministerium"


def test_word_features_carry_clusters_lemma_and_org_heads() -> None:
    own, ctx = features.word_features("Ministeriums")
    assert "lm=ministerium" in own and "oe=0" in own
    assert any(f.startswith("k3=") and f != "k3=-" for f in own)
    assert "oe=1" in features.word_features("Inc.")[0]
    assert len(ctx) == len(features.OFFSETS)
    assert any(f.startswith("-1:k2=") for f in ctx[1])


def test_token_features_mark_the_run_of_each_token() -> None:
    words = ["Sie", "arbeitet", "bei", "Siemens", "AG", "in", "München", "."]
    feats = features.token_features(words)
    assert "ru=B21" in feats[3] and "ru=E21" in feats[4]  # "AG" heads the run
    assert "ru=" in feats[1]  # lowercase: outside every run


def test_dropped_feature_families_go_at_every_offset_and_nothing_else_does() -> None:
    """`train_ner.py --drop gn,lm`: the German lexicon's noun class and lemma are not learnt
    by an English model ("Marine" is a German noun; "Marine Le Pen" is a person)."""
    from storyline.stages.entities.stage import token_features
    from storyline.stages.entities.training import drop_features

    feats = token_features(["rival", "Marine", "Le", "Pen", "won"])
    kept = drop_features(feats, ("gn", "lm"))
    gone = [f for f in feats[1] if f not in kept[1]]
    assert "gn=N" in gone and "lm=marine" in gone and "1:gn=-" in gone
    assert all(f.split(":", 1)[-1].startswith(("gn=", "lm=")) for f in gone)
    assert "w=Marine" in kept[1] and "ze=4" in kept[1]
    assert drop_features(feats, ()) is feats


def test_english_capital_share_tells_names_from_words_written_in_capitals() -> None:
    """'cs=': how often English writes the capitalised form rather than the lowercase one.
    wordfreq's band ('ze=') counts "Marine" and "marine" as one word; the cased counts do not."""
    from storyline.stages.entities import english

    def share(w: str) -> str:
        return next(f for f in english.features(w) if f.startswith("cs="))

    assert share("Paris") == share("Kerry") == "cs=4"  # names: nearly always capitalised
    assert share("The") == share("the") == "cs=1"  # a word: capitalised at sentence starts
    assert share("Will") == "cs=0"
    assert share("Marine") == "cs=2"  # as often a name ("Marine Le Pen", "Marine Corps")
    assert share("Xyzzyqwv") == "cs=-" and share("123") == "cs=-"


def test_english_brown_prefixes_group_names_and_reach_neighbours() -> None:
    from storyline.stages.entities import english

    def brown(w: str) -> dict[str, str]:
        return dict(f.split("=") for f in english.features(w) if f[0] == "b")

    assert brown("Kerry")["bc"] == brown("Bill")["bc"]  # first names share a cluster
    assert brown("Paris")["b4"] == brown("Kerry")["b4"] != brown("the")["b4"]
    assert brown("Xyzzyqwv") == {"bc": "-"}
    own, ctx = features.word_features("Paris", english=True)
    assert "cs=4" in own and f"-1:{english.context('Paris')}" in ctx[1]
    assert not any(f.startswith("cs=") for f in features.word_features("Paris")[0])
    assert english.context("Paris") == "b8=" + str(int(brown("Paris")["bc"]) & 255)

