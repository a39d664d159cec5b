"""The `storyline backfill` command body (kept here so cli.py stays a list of adapters)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from click.core import ParameterSource
from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _db(ctx: typer.Context, db: Path | None) -> Path | None:
    """The command's --db, else the global --db (or $STORYLINE_DB) when given explicitly."""
    if db is not None:
        return db
    parent = ctx.parent
    if parent is not None and parent.get_parameter_source("db") in (
            ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
        return Path(parent.params["db"])
    return None


def backfill_command(ctx: typer.Context, inputs: list[str], out_dir: str, master: str | None,
                     db: Path | None, fmt: str, outlet: str | None, conf: list[str],
                     dedup: str, json_out: bool) -> None:
    from storyline.cli_common import STATE
    from storyline.ingest import FORMATS

    if fmt not in FORMATS or dedup not in {"spark", "driver"}:
        err.print(f"--format must be one of {', '.join(FORMATS)}; --dedup spark or driver")
        raise typer.Exit(2)
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit
        err.print("--master is required (local[N], spark://HOST:PORT, yarn, k8s://...)")
        raise typer.Exit(2)
    pairs = [c.split("=", 1) for c in conf]
    if any(len(p) != 2 for p in pairs):
        err.print("--conf takes KEY=VALUE")
        raise typer.Exit(2)
    try:
        from storyline.spark import BackfillError, Options, run
    except ImportError as exc:
        err.print(f"backfill needs pyspark: pip install 'storyline[spark]' ({exc})")
        raise typer.Exit(1) from exc
    target = _db(ctx, db)
    opts = Options(inputs, master, out_dir, STATE["settings"], str(target) if target else None,
                   fmt, outlet, dedup=dedup, conf=dict((k, v) for k, v in pairs))
    try:
        report = run(opts)
    except BackfillError as exc:
        err.print(f"[bold red]backfill failed:[/] {exc}", markup=True)
        raise typer.Exit(1) from exc
    for skip in report.skipped:
        err.print(f"[yellow]{skip.message()}[/yellow]", markup=True)
    if json_out:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    loaded = f", {report.loaded} new in {target}" if target else ""
    out.print(f"backfilled {report.articles} articles from {report.files} files in "
              f"{report.tasks} tasks: {report.duplicates} duplicates, {report.events} events, "
              f"{report.stories} stories, {len(report.skipped)} skipped{loaded}; "
              f"Parquet under {out_dir}")
