"""Across languages only names link articles (issue 12, trafilatura's evaluation pages): the
shared vocabulary of two related languages is full of common words and figures, which
joined Spanish, Portuguese and Italian pages on unrelated events."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import settings as settings_mod
from storyline.corpus.events import StoryIndex
from storyline.corpus.features import featurize, lemmas
from storyline.corpus.stories import Cluster, Span
from storyline.corpus.vectors import DocFreq, Query, member_mass, shared_cosine, weigh
from storyline.model import Article
from storyline.settings import Settings
from storyline.stages import language

# Written for this test: a Spanish report on a police budget and a Portuguese one on a
# hospital strike, both full of words the two languages spell alike, and of the same figures.
SPANISH = (
    "El presidente de la comisión nacional de seguridad presentó el martes un plan "
    "especial para la policía de la capital con 2.500 agentes y 300 vehículos nuevos. "
    "El plan nacional prevé una inversión total de 45 millones hasta 2024, según el "
    "documento oficial. La oposición criticó la propuesta del presidente en el congreso "
    "y pidió más control público sobre el presupuesto de la policía nacional.")
PORTUGUESE = (
    "O presidente do sindicato nacional dos médicos anunciou uma greve geral nos "
    "hospitais públicos a partir de segunda-feira, com 2.500 profissionais e 300 "
    "ambulâncias paradas. O documento oficial do sindicato pede 45 milhões para o "
    "sistema público até 2024. A oposição no congresso apoiou a proposta e pediu mais "
    "controle público sobre o orçamento da saúde nacional.")


@pytest.fixture(scope="module")
def cfg() -> Settings:
    return settings_mod.load(path=Path("/nonexistent"))


def page(name: str, text: str, lang: str) -> Article:
    return Article(source=name, raw_text=text, text=text, lang=lang,
                   published="2022-05-03", published_source="given")


def test_portuguese_is_detected_and_its_function_words_are_no_content(cfg: Settings) -> None:
    assert language.detect(PORTUGUESE, tuple(cfg.get("language.allowed")))[0] == "pt"
    words = lemmas(PORTUGUESE, "pt")
    for function_word in ("uma", "com", "nos", "para", "dos", "do", "o"):
        assert function_word not in words
    assert "sindicato" in words and "greve" in words


def test_related_languages_do_not_join_on_common_words_and_figures(cfg: Settings) -> None:
    index = StoryIndex(cfg)
    es = index.add("es", featurize(page("es", SPANISH, "es"), cfg))
    pt = index.add("pt", featurize(page("pt", PORTUGUESE, "pt"), cfg))
    assert es[0] != pt[0] and es[1] != pt[1]
    why = index.explain(featurize(page("pt", PORTUGUESE, "pt"), cfg),
                        featurize(page("es", SPANISH, "es"), cfg))
    assert why["cosine_shared_vocabulary"] == 0.0


def cross(a: dict[str, float], b: dict[str, float]) -> float:
    df = DocFreq()
    df.add(a, "es")
    df.add(b, "pt")
    cl = Cluster("ev", 1)
    cl.absorb(member_mass(a, weigh(a, df)), Span(), "es", 1)
    cl.refresh(df)
    return shared_cosine(Query(weigh(b, df), "pt", df), cl.terms["es"], "es")


def test_a_shared_name_is_what_makes_the_shared_vocabulary_count() -> None:
    common = {"presidente": 2.0, "nacional": 2.0, "policia": 1.0, "congreso": 1.0}
    figures = {"#2500": 1.0, "#300": 1.0, "#2024": 1.0}
    assert cross({**common, "plan": 1.0}, {**common, "greve": 1.0}) == 0.0
    assert cross({**figures, "plan": 1.0}, {**figures, "greve": 1.0}) == 0.0
    # the same words beside a name one side's entities give ("@gustavo petro" -> "petro")
    named_es = {**common, "petro": 2.0, "@gustavo petro": 2.0}
    named_pt = {**common, "petro": 2.0}
    assert cross(named_es, named_pt) > 0.25
    # figures add to the cosine but are no evidence: only words count in the shrink
    assert cross({**named_es, **figures}, {"petro": 2.0, **figures}) < cross(
        {**named_es, **figures}, {"petro": 2.0, "presidente": 2.0, **figures})
