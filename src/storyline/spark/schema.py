"""Spark schemas: the rows the executors stage, and the export contract (DESIGN.md section 5)
as the Parquet dataset `backfill` writes."""

from __future__ import annotations

from typing import Any

from storyline.model import EXPORT_FIELDS
from storyline.store.export import GROUP_TITLES

FACT_TYPES: dict[str, list[tuple[str, str]]] = {
    "entities": [("text", "string"), ("type", "string"), ("canonical", "string"),
                 ("start", "int"), ("end", "int"), ("role", "string")],
    "quotes": [("text", "string"), ("speaker", "string"), ("speaker_canonical", "string"),
               ("kind", "string"), ("start", "int"), ("end", "int")],
    "dates": [("text", "string"), ("value", "string"), ("start", "int"), ("end", "int")],
    "figures": [("text", "string"), ("value", "double"), ("what", "string"),
                ("qualifier", "string"), ("start", "int"), ("end", "int")],
}
ARTICLE_FIELDS = tuple(f for f in EXPORT_FIELDS if f not in ("duplicate_of", "event_id",
                                                             "story_id"))
PARTITION = "published_month"  # YYYY-MM, or "unknown"
STAGED_EXTRA = ("source_key", "sort_key", PARTITION, "features", "group_features", "store",
                "skip_source", "skip_reason")


def _fact_type(kind: str) -> Any:
    from pyspark.sql import types as T

    names = {"string": T.StringType(), "int": T.IntegerType(), "double": T.DoubleType()}
    return T.ArrayType(T.StructType([T.StructField(n, names[t]) for n, t in FACT_TYPES[kind]]))


def staged() -> Any:
    """One row per input item: an analysed article, or a skip (then only skip_* are set)."""
    from pyspark.sql import types as T

    fields = [T.StructField("ordinal", T.LongType(), False)]
    fields += [T.StructField(f, T.StringType()) for f in ARTICLE_FIELDS]
    fields += [T.StructField(k, _fact_type(k)) for k in FACT_TYPES]
    fields += [T.StructField(f, T.StringType()) for f in STAGED_EXTRA]
    fields.append(T.StructField("skip_record", T.IntegerType()))
    return T.StructType(fields)


def as_tuple(row: dict[str, Any]) -> tuple[Any, ...]:
    """A staged row dict in schema order (facts as tuples in their field order)."""
    out: list[Any] = [row["ordinal"]]
    out += [row.get(f) for f in ARTICLE_FIELDS]
    for kind, fields in FACT_TYPES.items():
        facts = row.get(kind)
        out.append(None if facts is None else [tuple(f.get(n) for n, _ in fields)
                                               for f in facts])
    out += [row.get(f) for f in STAGED_EXTRA]
    out.append(row.get("skip_record"))
    return tuple(out)


def line_records() -> Any:
    from pyspark.sql import types as T

    return T.StructType([T.StructField("ordinal", T.LongType(), False),
                         T.StructField("id", T.StringType(), False),
                         T.StructField("outlet", T.StringType(), False),
                         T.StructField("keys", T.ArrayType(T.StringType()), False)])


def export_columns() -> list[str]:
    """The export record's fields in the order `storyline export` writes them (the contract's,
    then the group headlines it adds), then the partition column."""
    return [*EXPORT_FIELDS, *GROUP_TITLES, *FACT_TYPES, PARTITION]
