"""Spark tests: skipped, with the reason, only where pyspark or a Java 17+ runtime could not be
installed (`make test` installs both, see `make install-spark`)."""

from __future__ import annotations

import gzip
import importlib.util
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.bench import warcs
from tests.conftest import SEEDS, SHARED


def _java_major() -> int | None:
    if shutil.which("java") is None:
        return None
    out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    found = re.search(r'version "(\d+)', out)
    return int(found[1]) if found else None


def spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (make install-spark installs the storyline[spark] extra)"
    major = _java_major()
    if major is None or major < 17:
        return f"pyspark 4 needs Java 17+, found {major or 'none'} (make install-spark)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _need_spark() -> None:
    reason = spark_missing()
    if reason:
        pytest.skip(reason)


def seed_pages() -> list[dict[str, Any]]:
    """The seeds as crawled HTML pages (title = first line), with URLs that date them."""
    pages = []
    for n, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        lines = path.read_text("utf-8").strip().splitlines()
        pages.append({"url": f"https://seed-{n}.example/2016/10/0{n + 1}/story",
                      "title": lines[0], "text": "\n\n".join(ln for ln in lines[1:] if ln)})
    return pages


@pytest.fixture(scope="session")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of WARC files built from the seeds, plus a truncated WARC and a file that
    only claims to be one."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    folder = tmp_path_factory.mktemp("crawl")
    good = warcs.write(seed_pages(), folder, per_file=3)
    data = good[0].read_bytes()
    (folder / "cut.warc.gz").write_bytes(data[: len(data) // 2])
    (folder / "junk.warc.gz").write_bytes(gzip.compress(b"this is not a WARC file\n" * 20))
    return folder


@pytest.fixture(scope="session")
def local_spark() -> Iterator[Any]:
    """One local[2] session for the in-process runs (the CLI reuses the active session)."""
    from storyline.spark import session

    spark = session.start("local[2]", {"spark.ui.enabled": "false"})
    yield spark
    spark.stop()
