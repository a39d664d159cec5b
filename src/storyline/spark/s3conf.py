"""`python -m storyline.spark.s3conf`: the S3 connector's jars and settings (`s3.with_s3`) as
`spark-submit` options, for runs under it: its JVM starts before `backfill` does and takes no
jars later, so `spark-submit $(python -m storyline.spark.s3conf) .../submit.py s3a://...`.
(Its own module: `python -m` on a module the package already imported runs it twice.)"""

from __future__ import annotations

import shlex

from storyline import settings as settings_mod
from storyline.settings import Settings
from storyline.spark.s3 import with_s3


def submit_args(settings: Settings) -> list[str]:
    conf = with_s3(["s3a://"], settings, {})
    jars = conf.pop("spark.jars", "")
    args = ["--jars", jars] if jars else []
    for key, value in conf.items():
        args += ["--conf", f"{key}={value}"]
    return args


if __name__ == "__main__":
    print(" ".join(shlex.quote(a) for a in submit_args(settings_mod.load())))
