"""Temporal expressions: the stage (`stage`), its patterns (`rules`) and their normalisation
to dates (`norm`, and `relative` for expressions relative to the publication date).

The stage's public names are re-exported here, so `storyline.stages.timex` is the stage.
"""

from storyline.stages.timex.stage import (
    CONTRACT,
    NORMALISERS,
    SETS,
    candidates,
    parse_dct,
    run,
    spans,
    tag,
    to_contract,
)

__all__ = ["CONTRACT", "NORMALISERS", "SETS", "candidates", "parse_dct", "run", "spans", "tag",
           "to_contract"]
