"""Named entities: the stage (`stage`), its CRF applied with numpy (`crf`), the token
features and word lists the CRF reads (`features`), and name variants and roles (`names`).

The stage's public names are re-exported here, so `storyline.stages.entities` is the stage.
"""

from storyline.stages.entities.stage import (
    MAX_SENT,
    SETS,
    TOKEN_RE,
    bio_spans,
    extract,
    gazetteer,
    lexicon,
    propagate,
    run,
    sentences,
    tag_words,
    tagger,
    token_features,
    tokenize,
)

__all__ = ["MAX_SENT", "SETS", "TOKEN_RE", "bio_spans", "extract", "gazetteer", "lexicon",
           "propagate", "run", "sentences", "tag_words", "tagger", "token_features", "tokenize"]
