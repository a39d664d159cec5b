"""S3 for `storyline backfill`: the Spark conf that lets Hadoop's S3A connector read `s3a://`
(and `s3://`) inputs and write an `s3a://` output.

pyspark bundles no S3 connector. `make install-s3` puts hadoop-aws 3.3.1 and the AWS SDK bundle
it was built against into the venv (taken from the sagemaker-pyspark package on PyPI: Maven,
where `--packages` fetches them, is not reachable from our machines); `with_s3` adds them to
`spark.jars` when a path is on S3 and the user named no connector of their own. That connector
is older than pyspark 4's Hadoop (3.4+), whose shipped defaults it cannot parse (durations with
units such as "60s", SDK v2 credential providers): `COMPAT` restates them in its own terms. On
a cluster, use hadoop-aws of the cluster's own Hadoop version instead (`--packages`); then only
the endpoint settings below apply.

Settings (`[s3]`): `endpoint` (else `$AWS_ENDPOINT_URL_S3` / `$AWS_ENDPOINT_URL`; empty: AWS),
`path_style`, `jars`. Credentials never go in the settings file: the connector's own chain
reads `fs.s3a.access.key`/`secret.key` (`--conf spark.hadoop.fs.s3a.access.key=...`), then
`$AWS_ACCESS_KEY_ID`/`$AWS_SECRET_ACCESS_KEY`(/`$AWS_SESSION_TOKEN`), then an instance role.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from storyline.settings import Settings

SCHEMES = ("s3a://", "s3://", "s3n://")
INSTALLED = Path(sys.prefix) / "share" / "storyline" / "s3a"  # where `make install-s3` puts them
_AWS_VERSION = re.compile(r"hadoop-aws-(\d+)\.(\d+)")
_H = "spark.hadoop.fs.s3a."

# hadoop-aws < 3.4 reads these with getInt/getLong; Hadoop 3.4+'s core-default.xml gives them
# with units, which fail as NumberFormatException: For input string: "60s" (values unchanged)
COMPAT = {
    _H + "connection.establish.timeout": "30000",  # ms ("30s")
    _H + "connection.timeout": "200000",  # ms ("200s")
    _H + "threads.keepalivetime": "60",  # s ("60s")
    _H + "multipart.purge.age": "86400",  # s ("24h")
    # the 3.3 default chain: Hadoop 3.4+ names SDK v2 classes, absent from the v1 bundle
    _H + "aws.credentials.provider": ",".join([
        "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "com.amazonaws.auth.EnvironmentVariableCredentialsProvider",
        "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider"]),
}


def is_s3(path: str) -> bool:
    return path.lower().startswith(SCHEMES)


def connector_jars(settings: Settings) -> list[str]:
    """`[s3] jars` (comma-separated), else the jars `make install-s3` installed, else none."""
    given = str(settings.section("s3").get("jars") or "")
    if given:
        return [j.strip() for j in given.split(",") if j.strip()]
    return sorted(str(p) for p in INSTALLED.glob("*.jar")) if INSTALLED.is_dir() else []


def endpoint(settings: Settings) -> str:
    return str(settings.section("s3").get("endpoint") or os.environ.get("AWS_ENDPOINT_URL_S3")
               or os.environ.get("AWS_ENDPOINT_URL") or "")


def with_s3(paths: list[str], settings: Settings, given: dict[str, str]) -> dict[str, str]:
    """`given` (the user's --conf) plus what S3 paths need; the user's keys win, and their
    `spark.jars` is kept with the connector's appended."""
    if not any(is_s3(p) for p in paths):
        return dict(given)
    conf = {"spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
            "spark.hadoop.fs.s3n.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem"}
    if endpoint(settings):
        conf[_H + "endpoint"] = endpoint(settings)
    if settings.section("s3").get("path_style"):
        conf[_H + "path.style.access"] = "true"
    named = given.get("spark.jars", "") + "," + given.get("spark.jars.packages", "")
    jars = [] if "hadoop-aws" in named else connector_jars(settings)
    if any(_older_than_3_4(j) for j in jars):
        conf.update(COMPAT)
    conf.update(given)
    if jars:
        conf["spark.jars"] = ",".join(filter(None, [given.get("spark.jars", ""), *jars]))
    return conf


def _older_than_3_4(jar: str) -> bool:
    found = _AWS_VERSION.search(Path(jar).name)
    return found is not None and (int(found[1]), int(found[2])) < (3, 4)

