"""Event and story headlines for backfill's Parquet (the export's `event_title` and
`story_title`), by the rule `corpus.assign` names groups with in a store: `headline` over a
group's first canonical members in publication order, each counting its current copies."""

from __future__ import annotations

import json
from typing import Any

from storyline.corpus.headlines import SAMPLE, Member, headline

_MEMBER = ("sort_key", "id", "title", "lang", "lead", "copies", "features")


def with_titles(rows: Any) -> Any:
    """`rows` (the current articles with their groups) plus `event_title` and `story_title`."""
    from pyspark.sql import functions as F

    copies = (rows.filter("duplicate_of IS NOT NULL").groupBy("duplicate_of").count()
              .withColumnRenamed("duplicate_of", "id").withColumnRenamed("count", "copies"))
    canonical = (rows.filter("duplicate_of IS NULL").join(copies, "id", "left")
                 .fillna(0, ["copies"]).withColumn("lead", F.substring("text", 1, 600)))
    for level in ("event", "story"):
        rows = rows.join(_titles(canonical, level), f"{level}_id", "left")
    return rows


def _titles(canonical: Any, level: str) -> Any:
    """(`{level}_id`, `{level}_title`) for every group of `level`."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    key = f"{level}_id"
    first = canonical.withColumn("_n", F.row_number().over(
        Window.partitionBy(key).orderBy("sort_key"))).filter(F.col("_n") <= SAMPLE)
    members = first.groupBy(key).agg(F.sort_array(F.collect_list(F.struct(*_MEMBER)))
                                     .alias("members"))
    return members.rdd.map(_name).toDF(f"{key} string, {level}_title string")


def _name(row: Any) -> tuple[str, str | None]:
    group, members = row
    return group, headline([Member(m.id, m.title, m.lang, m.lead, int(m.copies),
                                   json.loads(m.features or "{}")) for m in members]).title
