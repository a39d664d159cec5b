"""The script `spark-submit` runs: `spark-submit [options] .../storyline/spark/submit.py
INPUT... --out DIR [--db PATH]` is `storyline backfill` with the master, resources and
packages spark-submit set up (its `--master` makes the command's optional)."""

import sys

from storyline.cli import app

if __name__ == "__main__":
    app(["backfill", *sys.argv[1:]], prog_name="storyline")
