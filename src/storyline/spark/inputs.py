"""The INPUT arguments of `backfill` as numbered files, packed into Spark tasks.

Local paths expand exactly as `ingest` expands them (`ingest.paths.iter_sources`: folders
recursively, globs, the same order), so a file's number is its place in ingest's read order
and the answers can match. Paths with a scheme (`hdfs://`, `s3a://`, `file://`) are listed on
the driver through Spark's own Hadoop filesystem layer, so whatever Spark can read (and its
credentials settings) works, and they are read in the executors with `binaryFiles`.
`@FILE` is a manifest: one path or URI per line (blank lines and `#` comments ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.ingest.base import Skip
from storyline.ingest.paths import iter_sources

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
ITEM_BITS = 32  # ordinal = file number << 32 | item number within the file
MIN_TASK_BYTES = 64 * 1024
MAX_TASK_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class FileRef:
    """One input file: its number in read order, how `ingest` would name it, where to open it."""

    number: int
    name: str  # the path as given (the `source` of its articles)
    location: str  # absolute local path, or the URI for remote files
    size: int
    folder_outlet: str | None
    remote: bool = False


def is_remote(path: str) -> bool:
    return bool(_SCHEME.match(path))


def expand_manifests(inputs: list[str]) -> list[str]:
    out: list[str] = []
    for raw in inputs:
        if raw.startswith("@"):
            lines = Path(raw[1:]).read_text("utf-8").splitlines()
            out += [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
        else:
            out.append(raw)
    return out


def list_inputs(inputs: list[str], spark: Any = None) -> tuple[list[FileRef], list[Skip]]:
    """Every input file in read order, and the inputs that cannot be read (as skips)."""
    files: list[FileRef] = []
    skips: list[Skip] = []
    for raw in expand_manifests(inputs):
        if is_remote(raw):
            found, missing = _list_remote(raw, spark, len(files))
            files += found
            skips += missing
            continue
        for item in iter_sources([raw]):
            if isinstance(item, Skip):
                skips.append(item)
            elif item.path is not None:
                files.append(FileRef(len(files), item.name, str(item.path.resolve()),
                                     item.size or 0, item.folder_outlet))
    return files, skips


def _list_remote(uri: str, spark: Any, first: int) -> tuple[list[FileRef], list[Skip]]:
    """Files under a URI (a file, a folder listed recursively, or a glob), via Hadoop."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(uri)
    try:
        fs = path.getFileSystem(conf)
        statuses = fs.globStatus(path)
    except Exception as exc:  # py4j wraps the Java IOException
        return [], [Skip(uri, None, f"unreadable path: {_java_message(exc)}{_hint(uri)}")]
    if not statuses:
        return [], [Skip(uri, None, "no file matches this path")]
    found: list[FileRef] = []
    for status in sorted(statuses, key=lambda s: s.getPath().toString()):
        for name, size in _walk_remote(fs, status):
            parent = name.rstrip("/").rsplit("/", 2)
            outlet = parent[-2] if len(parent) >= 2 else None
            found.append(FileRef(first + len(found), name, name, size, outlet or None, True))
    return found, []


def _walk_remote(fs: Any, status: Any) -> Iterator[tuple[str, int]]:
    if not status.isDirectory():
        yield status.getPath().toString(), int(status.getLen())
        return
    it = fs.listFiles(status.getPath(), True)
    files = []
    while it.hasNext():
        st = it.next()
        name = st.getPath().getName()
        if not name.startswith((".", "_")):
            files.append((st.getPath().toString(), int(st.getLen())))
    yield from sorted(files)


def _hint(uri: str) -> str:
    """What a missing S3 connector needs: pyspark ships no hadoop-aws jar."""
    if not uri.lower().startswith(("s3a://", "s3://", "s3n://")):
        return ""
    return (" (S3 is read through Hadoop's s3a connector, which pyspark does not bundle: "
            "`make install-s3` installs one that backfill adds by itself; or add your own "
            "with --conf spark.jars.packages=org.apache.hadoop:hadoop-aws:<the Hadoop "
            "version of pyspark's jars/hadoop-client-api-*.jar>, or [s3] jars / spark.jars="
            "PATH to a hadoop-aws jar and its AWS SDK bundle; see README, reading from S3)")


def _java_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return next((ln.split(": ", 1)[-1] for ln in text if "Exception" in ln), text[0] if text
                else repr(exc))


def pack(files: list[FileRef], parallelism: int) -> list[list[FileRef]]:
    """Contiguous runs of files of similar total size: a big file (a WARC of a GB) is a task
    of its own, small files are packed until the run reaches the target size. The target
    aims at a few tasks per core (so a slow task does not hold the job) within bounds that
    keep task overhead small and memory bounded."""
    local = [f for f in files if not f.remote]
    total = sum(f.size for f in local)
    target = min(MAX_TASK_BYTES, max(MIN_TASK_BYTES, total // max(1, 4 * parallelism)))
    tasks: list[list[FileRef]] = []
    run: list[FileRef] = []
    size = 0
    for f in local:
        if run and size + f.size > target:
            tasks.append(run)
            run, size = [], 0
        run.append(f)
        size += f.size
    if run:
        tasks.append(run)
    return tasks
