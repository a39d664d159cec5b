"""`storyline backfill` on Apache Spark: the whole pipeline over crawls too big for one
machine (a year of CC-NEWS WARC files), with the same answers as `storyline ingest`.

Needs the optional extra: `pip install 'storyline[spark]'` (pyspark, and a Java runtime 17+).
`run(Options(...))` is the library entry; `job` says how the work is split.
"""

from storyline.spark.job import BackfillReport, Options, run
from storyline.spark.session import BackfillError

__all__ = ["BackfillError", "BackfillReport", "Options", "run"]
