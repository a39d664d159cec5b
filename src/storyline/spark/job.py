"""`storyline backfill`: the whole pipeline as one Spark application.

1. list the inputs (driver) and pack them into tasks: a big file (a WARC) is one task, runs
   of small files are packed to a similar size (`inputs.pack`);
2. outlet-line counts for plain-text articles (`lines`), two window functions;
3. the per-article stages in the executors (`executor`), staged as Parquet under the work
   folder (Spark's committer: a retried task never duplicates rows);
4. which article of several with one id, and which version of one source, is current
   (window functions, as `ingest`'s writer decides it);
5. duplicate candidates from anchor shuffles, confirmed in the executors (`dedup`); the
   groups, events and stories on the driver over the compact features in publication
   order, with ingest's own code (`group`);
6. the export contract as Parquet under OUT, partitioned by publication month, written with
   Spark's committer in overwrite mode (a re-run replaces it with the same rows);
7. with a database, the result loaded into it (`load`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from storyline.corpus import move
from storyline.ingest.base import Skip
from storyline.settings import Settings
from storyline.spark import dedup, executor, group, inputs, lines, s3, schema, session, titles

SKIPPED = "_skipped"  # under OUT: the inputs that could not be used (ignored by readers)
SHUFFLE_BYTES = 32 * 1024 * 1024  # input bytes per shuffle partition


@dataclass
class BackfillReport:
    files: int = 0
    tasks: int = 0
    articles: int = 0
    duplicates: int = 0
    events: int = 0
    stories: int = 0
    loaded: int | None = None
    skipped: list[Skip] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    executors: dict[str, float] = field(default_factory=dict)
    grouping: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"files": self.files, "tasks": self.tasks, "articles": self.articles,
                "duplicates": self.duplicates, "events": self.events, "stories": self.stories,
                "loaded": self.loaded,
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
                "executor_seconds": {k: round(v, 3) for k, v in self.executors.items()},
                "grouping_seconds": {k: round(v, 3) for k, v in self.grouping.items()},
                "skipped": [{"source": s.source, "record": s.record, "reason": s.reason}
                            for s in self.skipped]}


@dataclass
class Options:
    inputs: list[str]
    master: str | None
    out: str
    settings: Settings
    db: str | None = None
    fmt: str = "auto"
    outlet: str | None = None
    work: str | None = None  # staging folder (default: OUT + ".work")
    dedup: str = "spark"  # "spark": candidates ranked and confirmed in the executors
    conf: dict[str, str] = field(default_factory=dict)


def run(opts: Options) -> BackfillReport:
    """Run the backfill; raises `session.BackfillError` only for a wrong master or an
    output that cannot be written (bad inputs are skips in the report)."""
    from pyspark.sql import functions as F

    report = BackfillReport()
    clock = _Clock(report)
    paths = [*inputs.expand_manifests(opts.inputs), opts.out]
    spark = session.start(opts.master, s3.with_s3(paths, opts.settings, opts.conf))
    out = session.uri(opts.out)
    work = session.uri(opts.work) if opts.work else out.rstrip("/") + ".work"
    session.check_output(spark, out)
    clock.lap("start")
    files, report.skipped = inputs.list_inputs(opts.inputs, spark)
    parallelism = spark.sparkContext.defaultParallelism
    tasks = inputs.pack(files, parallelism)
    remote = [f for f in files if f.remote]
    report.files, report.tasks = len(files), len(tasks) + len(remote)
    if "spark.sql.shuffle.partitions" not in opts.conf:
        # Spark's 200 cost ~0.3 s of Python start-up each on small inputs; the
        # adaptive executor coalesces what is still too small
        size = sum(f.size for f in files)
        spark.conf.set("spark.sql.shuffle.partitions",
                       str(max(4 * parallelism, size // SHUFFLE_BYTES)))
    clock.lap("list")
    boiler = lines.outlet_lines(spark, tasks, remote, opts.settings, opts.fmt, opts.outlet)
    clock.lap("outlet_lines")
    timings = session.timings_accumulator(spark)
    _stage(spark, tasks, remote, boiler.cut, opts, timings, work)
    report.executors = dict(timings.value)
    clock.lap("stages")
    staged = spark.read.schema(schema.staged()).parquet(work)
    report.skipped += [Skip(r["skip_source"], r["skip_record"], r["skip_reason"]) for r in
                       staged.filter("skip_reason IS NOT NULL").orderBy("ordinal").collect()]
    kept, current = _current(staged)
    current = current.persist()
    clock.lap("select")
    stats = group.GroupStats()
    table, cached = current.withColumn("checks", F.lit(None).cast("string")), None
    if opts.dedup == "spark":
        found, cached = dedup.checks(spark, current, opts.settings)
        table = current.join(found, "id", "left")
    feats = "group_features" if opts.dedup == "spark" else "features"
    rows = table.select("id", feats, "checks").orderBy("sort_key").toLocalIterator()
    assigned = group.group(((r[0], r[1], r[2]) for r in rows), opts.settings, stats,
                           checked=opts.dedup == "spark")
    cut = stats.protos.refine(lambda ids: _features(current, feats, ids), opts.settings)
    assigned = [(a, d, cut.get(a, e), s) for a, d, e, s in assigned]  # ingest's event split
    strays = move.story_moves([(a, e, s, d or a) for a, d, e, s in assigned],
                              lambda ids: _features(current, feats, ids), opts.settings)
    assigned = [(a, d, strays.get(a, e), s) for a, d, e, s in assigned]  # and its moves
    if cached is not None:
        cached.unpersist()
    report.grouping = stats.seconds
    report.articles, report.duplicates = stats.articles, stats.duplicates
    report.grouping["unverified"] = float(stats.unverified)
    report.events = len({a[2] for a in assigned})
    report.stories = len({a[3] for a in assigned})
    clock.lap("group")
    _write(spark, current, assigned, report.skipped, out)
    clock.lap("write")
    if opts.db:
        from storyline.spark import load

        report.loaded = load.load(opts.db, kept, assigned, report.skipped, opts.settings,
                                  boiler)
        clock.lap("load")
    current.unpersist()
    if boiler.rows is not None:
        boiler.rows.unpersist()
    session.remove(spark, work)
    return report


def _features(current: Any, column: str, ids: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The features of the given articles, in sort order (the event split's members)."""
    from pyspark.sql import functions as F

    rows = current.filter(F.col("id").isin(ids)).select("id", column).orderBy("sort_key")
    return [(r[0], json.loads(r[1] or "{}")) for r in rows.collect()]


def _stage(spark: Any, tasks: list[list[inputs.FileRef]], remote: list[inputs.FileRef],
           boiler: dict[int, list[str]], opts: Options, timings: Any, work: str) -> None:
    """The per-article stages in the executors, written as Parquet under `work`."""
    sc = spark.sparkContext
    lines_b = sc.broadcast(boiler)
    settings, fmt, outlet, with_store = opts.settings, opts.fmt, opts.outlet, bool(opts.db)

    def one(ref: inputs.FileRef, data: bytes | None = None) -> list[tuple[Any, ...]]:
        return [schema.as_tuple(row) for row in executor.process_file(
            ref, settings, fmt, outlet, lines_b.value, with_store, timings, data)]

    parts = []
    if tasks:
        parts.append(sc.parallelize(tasks, len(tasks)).flatMap(
            lambda files: [row for f in files for row in one(f)]))
    if remote:
        by_name = {f.name: f for f in remote}
        parts.append(sc.binaryFiles(",".join(by_name), len(remote)).flatMap(
            lambda kv: one(by_name[kv[0]], kv[1])))
    rdd = sc.union(parts) if len(parts) > 1 else parts[0] if parts else sc.emptyRDD()
    spark.createDataFrame(rdd, schema.staged()).write.mode("overwrite").parquet(work)


def _current(staged: Any) -> tuple[Any, Any]:
    """(every stored article, the current ones): the first article read of each id (ingest
    sees the later ones as known), and of those with one source key the last one read
    (ingest stores it as a new version that supersedes the earlier ones)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    articles = staged.filter("id IS NOT NULL")
    kept = articles.withColumn("_n", F.row_number().over(
        Window.partitionBy("id").orderBy("ordinal"))).filter("_n = 1").drop("_n")
    latest = F.max("ordinal").over(Window.partitionBy("source_key"))
    current = kept.withColumn("_last", latest).filter(
        (F.col("ordinal") == F.col("_last")) | (F.col("source_key") == "stdin")).drop("_last")
    return kept, current


def _write(spark: Any, current: Any, assigned: list[group.Assignment], skipped: list[Skip],
           out: str) -> None:
    from pyspark.sql import types as T

    groups = spark.createDataFrame(assigned, T.StructType([
        T.StructField("id", T.StringType(), False),
        T.StructField("duplicate_of", T.StringType()),
        T.StructField("event_id", T.StringType(), False),
        T.StructField("story_id", T.StringType(), False)]))
    rows = titles.with_titles(current.join(groups, "id")).select(*schema.export_columns(),
                                                                  "sort_key")
    (rows.repartition(schema.PARTITION).sortWithinPartitions("sort_key").drop("sort_key")
     .write.mode("overwrite").partitionBy(schema.PARTITION).parquet(out))
    skips = spark.createDataFrame([(s.source, s.record, s.reason) for s in skipped],
                                  "source string, record int, reason string")
    skips.coalesce(1).write.mode("overwrite").parquet(out.rstrip("/") + "/" + SKIPPED)


class _Clock:
    def __init__(self, report: BackfillReport) -> None:
        self.report = report
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.report.seconds[name] = self.report.seconds.get(name, 0.0) + now - self.last
        self.last = now
