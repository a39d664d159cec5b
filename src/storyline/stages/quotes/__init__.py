"""Quotes: the stage (`stage`) and its parts: tokens and sentences (`text`), word lists
(`lex`), direct speech (`direct`), reported speech (`indirect`, `reported`, `mood`), speakers
(`speaker`, `refer`) and English (`english`).

The stage's public names are re-exported here, so `storyline.stages.quotes` is the stage.
"""

from storyline.stages.quotes.stage import SETS, Statement, extract, run

__all__ = ["SETS", "Statement", "extract", "run"]
