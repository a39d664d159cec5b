"""Languages without a model (anything but German and English) get no entities or quotes,
and the article says so."""

from __future__ import annotations

from pathlib import Path

import storyline
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store, queries

FRENCH = ("Les négociations de Genève ont repris mardi. « Nous sommes prêts à signer », a "
          "déclaré le ministre Jean Dupont devant la presse. Dans la ville assiégée, les "
          "habitants attendent l'aide humanitaire depuis des semaines. « La situation reste "
          "très grave », a ajouté un porte-parole des Nations unies. Certes, les combats ont "
          "diminué, mais personne ne sait si la trêve tiendra jusqu'à dimanche.")


def test_french_gets_no_names_and_no_quotes_but_dates_and_figures_run() -> None:
    article = storyline.analyze(FRENCH, published="2025-03-04")
    assert article.lang == "fr"
    assert article.entities == [] and article.quotes == []
    german = storyline.analyze("Außenminister Sergej Lawrow sagte in Moskau: „Wir sind "
                               "bereit.“ Das teilte das Ministerium am Mittwoch mit.")
    assert german.entities and german.quotes  # the gate is the language, not the stages


def test_the_article_json_says_why(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    store = Store(tmp_path / "t.db")
    run_ingest(store, [str(tmp_path / "fr.txt")], settings, workers=1)
    aid = store.query("SELECT id FROM articles")[0]["id"]
    data = queries.article(store, aid)
    assert data is not None and data["entities"] == [] and data["quotes"] == []
    assert data["annotated"] is False and "(fr)" in data["annotation_note"]
    store.close()
