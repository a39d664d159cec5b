"""The Spark session for a backfill: a clear error for a wrong master or an unwritable
output before any work starts, and the executor-side timings accumulator."""

from __future__ import annotations

import os
import re
import socket
import sys
import uuid
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError
from storyline.spark.inputs import is_remote

_LOCAL = re.compile(r"^local(\[(\d+|\*)(,\d+)?\])?$")
_SAME_HOST = ("spark://127.0.0.1:", "spark://localhost:")


class BackfillError(StorylineError):
    """The job cannot run: wrong master, unreachable output (the CLI exits 1 with it)."""


def uri(path: str) -> str:
    """A local path as an absolute file URI (executors have their own working folder)."""
    return path if is_remote(path) else Path(path).resolve().as_uri()


def check_master(master: str | None) -> None:
    """Fail fast with a message: Spark itself retries an unreachable master for a minute or
    more and then reports "All masters are unresponsive"."""
    if master is None or _LOCAL.match(master) or master in {"yarn"} or \
            master.startswith(("k8s://", "mesos://")):
        return
    if not master.startswith("spark://"):
        raise BackfillError(f"not a Spark master URL: {master!r} (use local[N], "
                            "spark://HOST:PORT, yarn or k8s://...)")
    for hostport in master[len("spark://"):].split(","):
        host, _, port = hostport.rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=5):
                return
        except (OSError, ValueError):
            continue
    raise BackfillError(f"cannot reach the Spark master at {master}: nothing answers there "
                        "(is the master running, and the host and port right?)")


def start(master: str | None, conf: dict[str, str]) -> Any:
    """A SparkSession (the one spark-submit made, when running under it)."""
    check_master(master)
    from pyspark.sql import SparkSession

    if master is not None and (_LOCAL.match(master) or master.startswith(_SAME_HOST)):
        # executors on this machine run this interpreter (with storyline installed)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("storyline backfill")
    if master is not None:
        builder = builder.master(master)
    # the driver's JVM holds the partitions the grouping pass streams in (Spark's 1g lost
    # them under memory pressure at 10k articles: TaskResultLost); spark-submit sets its own
    # the staged rows are wide (an article's analysis in a few binary columns): Parquet's
    # vectorized reader (4,096 rows per batch, about 24 MB per column) and the cache of the
    # selected rows (10,000 per batch) each overran an executor's default 1 GB heap at 100k
    # on the standalone cluster. Batches of 256 rows lower the peak; a 2-core executor still
    # needs about 3 GB there (README, "Settings that matter")
    defaults = {"spark.ui.showConsoleProgress": "false", "spark.driver.memory": "4g",
                "spark.sql.parquet.columnarReaderBatchSize": "256",
                "spark.sql.inMemoryColumnarStorage.batchSize": "256"}
    for key, value in {**defaults, **conf}.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # py4j / JVM start-up errors
        raise BackfillError(f"cannot start Spark with master {master!r}: "
                            f"{str(exc).strip().splitlines()[0][:300]}") from exc


def check_output(spark: Any, out: str) -> None:
    """Create the output folder and write and remove a probe file, through Hadoop's
    filesystem layer (the one the committer uses)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(out)
    try:
        fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        fs.mkdirs(path)
        probe = jvm.org.apache.hadoop.fs.Path(out.rstrip("/") + f"/_probe-{uuid.uuid4().hex}")
        fs.create(probe, True).close()
        fs.delete(probe, False)
    except Exception as exc:
        lines = [ln for ln in str(exc).splitlines() if "Exception" in ln] or [str(exc)]
        raise BackfillError(f"cannot write to the output location {out}: "
                            f"{lines[0].split(': ', 1)[-1][:300]}") from exc


def remove(spark: Any, location: str) -> None:
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(location)
    path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(path, True)


def timings_accumulator(spark: Any) -> Any:
    """Seconds per stage summed over every executor task (and counts), sent back to the
    driver with each finished task."""
    from pyspark.accumulators import AccumulatorParam

    class _Sums(AccumulatorParam):  # type: ignore[type-arg]
        def zero(self, value: dict[str, float]) -> dict[str, float]:
            return {}

        def addInPlace(self, a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
            for key, value in b.items():
                a[key] = a.get(key, 0.0) + value
            return a

    return spark.sparkContext.accumulator({}, _Sums())
