"""The outlet-line counts of `OutletLines` (corpus/boilerplate.py), computed in Spark.

`ingest` hands each plain-text article the lines its outlet already repeats in the articles
read before it (at least `clean.repeat_min` of them and `clean.repeat_share` of the outlet's
earlier articles), so the clean stage can cut them. That is a running count in read order;
here it is two window functions over (outlet, line key, ordinal), which give every article
the same set `OutletLines.annotate` would, without reading the articles in one process.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from storyline.settings import Settings
from storyline.spark import executor, schema
from storyline.spark.inputs import FileRef


@dataclass
class LinePass:
    """What the outlet-line pass found: per article (by ordinal) the keys to cut, and the
    line keys of every plain-text article (for the database's counts)."""

    cut: dict[int, list[str]]
    rows: Any  # DataFrame (ordinal, id, outlet, keys), cached; None without plain text

    def counts(self, ids: set[str]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
        """Articles and line keys per outlet over the given article ids, as `OutletLines`
        counts them when it annotates those articles."""
        articles: Counter[str] = Counter()
        lines: Counter[tuple[str, str]] = Counter()
        if self.rows is not None:
            for row in self.rows.select("id", "outlet", "keys").toLocalIterator():
                if row["id"] in ids:
                    articles[row["outlet"]] += 1
                    lines.update((row["outlet"], k) for k in row["keys"])
        return articles, lines


def outlet_lines(spark: Any, tasks: list[list[FileRef]], remote: list[FileRef],
                 settings: Settings, fmt: str, outlet: str | None) -> LinePass:
    """The line keys `OutletLines.annotate` would give each plain-text article."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    parts = []
    if tasks:
        parts.append(sc.parallelize(tasks, len(tasks)).flatMap(
            lambda files: [r for f in files
                           for r in executor.line_records(f, settings, fmt, outlet)]))
    plain = [f for f in remote if not f.name.lower().endswith(
        (".warc", ".warc.gz", ".arc", ".arc.gz", ".html", ".htm"))]
    if plain:
        by_name = {f.name: f for f in plain}
        parts.append(sc.binaryFiles(",".join(by_name), len(plain)).flatMap(
            lambda kv: executor.line_records(by_name[kv[0]], settings, fmt, outlet, kv[1])))
    if not parts:
        return LinePass({}, None)
    rows = spark.createDataFrame(sc.union(parts) if len(parts) > 1 else parts[0],
                                 schema.line_records())
    # the first of several articles with one id is the one ingest keeps (and counts)
    first = rows.groupBy("id").agg(F.min("ordinal").alias("ordinal"))
    rows = rows.join(first, ["id", "ordinal"]).persist()
    cfg = settings.section("clean")
    least, share = int(cfg.get("repeat_min", 4)), float(cfg.get("repeat_share", 0.5))
    before = rows.withColumn(
        "earlier", F.row_number().over(Window.partitionBy("outlet").orderBy("ordinal")) - 1)
    keys = before.select("ordinal", "outlet", "earlier", F.explode("keys").alias("key"))
    keys = keys.withColumn("seen", F.row_number().over(
        Window.partitionBy("outlet", "key").orderBy("ordinal")) - 1)
    floor = F.greatest(F.lit(float(least)), F.col("earlier") * F.lit(share))
    found = keys.filter(F.col("seen") >= floor).groupBy("ordinal").agg(
        F.sort_array(F.collect_list("key")).alias("keys"))
    return LinePass({int(r["ordinal"]): list(r["keys"]) for r in found.toLocalIterator()},
                       rows)
