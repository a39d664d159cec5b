"""The `storyline` command: a thin adapter over the library (each command a few lines)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from storyline import pipeline
from storyline import settings as settings_mod
from storyline.cli_common import STATE, err, out
from storyline.cli_common import emit as _emit
from storyline.cli_common import found as _found
from storyline.cli_common import store as _store
from storyline.cli_errors import GuardedTyper
from storyline.cli_eval import eval_app
from storyline.ingest import FORMATS
from storyline.store import export as export_mod
from storyline.store import queries

app = GuardedTyper(help="Turn a pile of crawled news into stories.", no_args_is_help=True,
                   add_completion=False, pretty_exceptions_show_locals=False, state=STATE)
app.add_typer(eval_app, name="eval")


@app.callback()
def main(db: Annotated[Path, typer.Option(envvar="STORYLINE_DB", help="SQLite database")]
         = Path("storyline.db"),
         config: Annotated[Path | None, typer.Option(help="settings TOML file")] = None,
         debug: Annotated[bool, typer.Option(help="tracebacks instead of one-line errors")]
         = False) -> None:
    STATE["db"], STATE["config"], STATE["debug"] = db, config, debug
    if debug:
        os.environ["STORYLINE_DEBUG"] = "1"  # the pipeline re-raises instead of skipping
    STATE["settings"] = settings_mod.load(config)


@app.command()
def ingest(paths: Annotated[list[str], typer.Argument(help="files, folders, globs, - for stdin")],
           format: Annotated[str, typer.Option("--format", "-f")] = "auto",
           outlet: Annotated[str | None, typer.Option(help="outlet when no URL says")] = None,
           workers: Annotated[int, typer.Option(help="worker processes")] = os.cpu_count() or 1,
           json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Ingest articles; re-ingesting the same input changes nothing."""
    if format not in FORMATS:
        err.print(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
        raise typer.Exit(2)
    store = _store()
    from storyline.progress import progress_bar

    # a bar on a terminal; plain lines every few seconds into a log or pipe
    with progress_bar(enabled=err.is_terminal and not json_out,
                      lines=not err.is_terminal) as tick:
        report = pipeline.run_ingest(store, paths, STATE["settings"], fmt=format, outlet=outlet,
                                     workers=workers, progress=tick)
    for skip in report.skipped:
        err.print(f"[yellow]{escape(skip.message())}[/yellow]", markup=True)
    if json_out:
        _emit(report.as_dict())
        return
    out.print(f"ingested {report.ingested} new articles ({report.new_versions} new versions), "
              f"{report.unchanged} already known, {report.duplicates} duplicates, "
              f"{len(report.skipped)} skipped")


@app.command()
def stories(limit: int = 25, sort: str = "size",
            json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List stories, largest first (--sort recent for newest first)."""
    rows = queries.stories(_store(True), limit=limit, sort=sort)
    if json_out:
        return _emit(rows)
    width = max(out.width, 80)
    for r in rows:
        span = r["first_date"] or "?"
        if r["last_date"] and r["last_date"] != r["first_date"]:
            span += f" → {r['last_date']}"
        out.print(f"{r['id']}  {r['n_articles']} articles, {r['n_outlets']} outlets, "
                  f"{r['n_events']} events  {span}", style="bold", markup=False)
        for text, style in ((r["title"], ""), (r["label"], "dim")):
            line = f"  {text}"
            out.print(line if len(line) <= width else line[:width - 1] + "…", style=style,
                      markup=False)


@app.command()
def show(story_id: str, json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """A story: its events with their articles, duplicates folded."""
    data = _found(queries.story(_store(True), story_id), f"no story {story_id}")
    if json_out:
        return _emit(data)
    out.print(data["title"], style="bold", markup=False)
    out.print(f"{data['label']}  {data['first_date']} – {data['last_date']}  "
              f"({data['n_articles']} articles, {data['n_outlets']} outlets)", markup=False)
    for ev in data["events"]:
        out.print(f"\n  event {ev['id']}: {ev['title']}", markup=False)
        out.print(f"    {ev['label']} ({ev['first_date']} – {ev['last_date']})", style="dim",
                  markup=False)
        for a in ev["articles"]:
            copies = f"  +{len(a['copies'])} copies" if a["copies"] else ""
            out.print(f"    {a['id']}  {a['published'] or '?':10}  {a['outlet'] or '?':20}  "
                      f"{(a['title'] or '')[:60]}{copies}", markup=False)
    if data["entities"]:
        out.print("\n  who: " + ", ".join(e["name"] for e in data["entities"][:10]),
                  markup=False)


@app.command()
def article(article_id: str, json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """One article with its facts and their character spans."""
    data = _found(queries.article(_store(True), article_id), f"no article {article_id}")
    if json_out:
        return _emit(data)
    from storyline.render import article_text

    out.print(article_text(data))


@app.command()
def search(query: str, limit: int = 20,
           json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Full-text search ('Krankenhaus' also finds 'Krankenhäuser')."""
    from storyline.store.search import clean_snippet

    result = queries.search(_store(True), query, limit=limit)
    for h in result["hits"]:  # plain text, matches as [start, end) in `marks`
        h["snippet"], h["marks"] = clean_snippet(h["snippet"])
    if json_out:
        return _emit(result)
    out.print(f"{result['total']} hits for {query!r}, {result['n_groups']} distinct texts")
    for h in result["hits"]:
        snippet = h["snippet"]
        for a, b in reversed(h["marks"]):
            snippet = f"{snippet[:a]}»{snippet[a:b]}«{snippet[b:]}"
        copies = f"  (+{h['n_copies']} copies)" if h["n_copies"] else ""
        out.print(f"  {h['id']}  {h['outlet'] or '?':18} {(h['title'] or '')[:50]}{copies}"
                  f"\n      {snippet}", markup=False)


@app.command()
def stats(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts: articles, duplicates, events, stories, skipped inputs."""
    data = queries.stats(_store(True))
    if json_out:
        return _emit(data)
    for key, value in data.items():
        out.print(f"{key:>20}: {value}")


@app.command()
def skipped(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Inputs that were skipped, with the reason and the line/record."""
    rows = _store(True).query("SELECT source, record, reason, at FROM skipped ORDER BY id")
    if json_out:
        return _emit(rows)
    for r in rows:
        where = f"{r['source']}:{r['record']}" if r["record"] else r["source"]
        out.print(f"{where}: {r['reason']}")


@app.command()
def export(format: Annotated[str, typer.Option("--format", "-f")] = "jsonl",
           output: Annotated[Path | None, typer.Option("-o", "--output")] = None) -> None:
    """Export every article in the DESIGN.md contract (jsonl, csv or parquet)."""
    if format not in {"jsonl", "csv", "parquet"}:
        err.print("format must be jsonl, csv or parquet")
        raise typer.Exit(2)
    try:
        n = export_mod.write(_store(True), format, output, sys.stdout)
    except ValueError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from exc
    if output:
        err.print(f"wrote {n} articles to {output}")


@app.command()
def backfill(ctx: typer.Context,
             inputs: Annotated[list[str], typer.Argument(help="files, folders, globs, URIs "
                                                         "(hdfs://, s3a://), @MANIFEST")],
             out_dir: Annotated[str, typer.Option("--out", help="Parquet dataset folder/URI")],
             master: Annotated[str | None, typer.Option(help="local[N], spark://HOST:PORT, "
                                                        "yarn, k8s://...")] = None,
             db: Annotated[Path | None, typer.Option("--db", help="also load into this "
                                                     "database")] = None,
             format: Annotated[str, typer.Option("--format", "-f")] = "auto",
             outlet: Annotated[str | None, typer.Option(help="outlet when no URL says")] = None,
             conf: Annotated[list[str] | None, typer.Option(help="Spark KEY=VALUE")] = None,
             dedup: Annotated[str, typer.Option(help="spark: candidates confirmed in the "
                                                "executors; driver: all in the driver")]
             = "spark",
             json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The whole pipeline on Apache Spark; the export contract as Parquet under --out."""
    from storyline.spark.cli import backfill_command

    backfill_command(ctx, inputs, out_dir, master, db, format, outlet, conf or [], dedup,
                     json_out)


@app.command()
def why(a: str, b: Annotated[str | None, typer.Argument()] = None,
        json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Why two articles are or are not one event (similarity components); with one article,
    why it was grouped as it was (a copy, no date, no words, alone in its event)."""
    from storyline.corpus.explain import article_notes, explain_pair

    if b is None:
        notes = _found(article_notes(_store(True), STATE["settings"], a), f"no article {a}")
        if json_out:
            return _emit({"id": a, "notes": notes})
        for note in notes:
            out.print(f"- {note}", markup=False)
        return None
    data = _consistent_why(_found(explain_pair(_store(True), STATE["settings"], a, b),
                                  f"unknown article id: {a} or {b}"))
    if json_out:
        return _emit(data)
    for key, value in data.items():
        out.print(f"{key:>22}: {value}", markup=False)
    return None


def _consistent_why(data: dict[str, Any]) -> dict[str, Any]:
    """The scores compare the two articles as if B were an event alone; the grouping compared
    A with B's whole event when A came. Name the pair's verdict as such (`pair_joins_*`, was
    `*_decision`) and say why it may differ from the stored grouping (`same_*`)."""
    for level in ("event", "story"):
        if f"{level}_decision" not in data:
            continue
        pair, same = data.pop(f"{level}_decision"), data.get(f"same_{level}")
        data[f"pair_joins_{level}"] = pair
        if same and not pair and level == "story" and "story_relink" in data:
            data["story_note"] = data.pop("story_relink")
        elif same and not pair:
            data[f"{level}_note"] = (f"one {level} through its other articles: grouping compares "
                                     f"an article with the whole {level}, and this pair alone "
                                     "scores below the threshold")
        elif pair and not same and level == "event" and "event_split" in data:
            data["event_note"] = data.pop("event_split")
        elif pair and not same and level == "event" and "event_move" in data:
            data["event_note"] = data.pop("event_move")
        elif pair and not same:
            data[f"{level}_note"] = (f"this pair alone would join, but when the later article "
                                     f"came the grouping compared it with the whole {level} "
                                     "(or found another one closer, or the first had aged out)")
    return data


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          workers: Annotated[int, typer.Option(help="server processes")] = 1) -> None:
    """Serve the web UI and the REST API (JSON twins under /api/)."""
    import uvicorn

    from storyline.web.app import create_app

    if host not in {"127.0.0.1", "localhost", "::1"}:
        err.print(f"[bold red]warning:[/] serving on {escape(host)}: anyone who can reach "
                  "this address can read the corpus", markup=True)
    _store(True).close()  # refuses a missing database; never writes a read-only one
    if workers > 1:  # each process builds its own app from the environment
        os.environ["STORYLINE_DB"] = str(STATE["db"].resolve())
        if STATE.get("config"):
            os.environ["STORYLINE_CONFIG"] = str(STATE["config"].resolve())
        uvicorn.run("storyline.web.app:app_from_env", factory=True, workers=workers,
                    host=host, port=port)
        return
    uvicorn.run(create_app(STATE["db"], STATE["settings"]), host=host, port=port)


@app.command()
def follow(urls: Annotated[list[str] | None, typer.Argument(
               help="RSS/Atom feed, (news) sitemap or home page URLs")] = None,
           sources: Annotated[list[Path] | None, typer.Option(
               "--sources", help="a URL list (one a line, # comments) or an OPML file")] = None,
           once: Annotated[bool, typer.Option(help="poll every source once, then exit")] = False,
           interval: Annotated[str | None, typer.Option(help="between polls: 15m, 1h, 90s")]
           = None,
           workers: Annotated[int, typer.Option(help="worker processes for the analysis")] = 1,
           json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Follow feeds, news sitemaps and home pages: fetch new article pages politely and
    ingest them (Ctrl-C or SIGTERM: finish the batch, commit, exit 0)."""
    from storyline.follow import command

    code = command.run(_store(), STATE["settings"], urls or [], sources or [], once=once,
                       interval=interval, workers=workers, json_out=json_out, out=out, err=err)
    if code:
        raise typer.Exit(code)


@app.command("sources")
def sources_cmd(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The followed sources: last poll, new articles, errors."""
    from storyline.follow import command

    rows = command.show(_store(True), json_out, out)
    if json_out:
        _emit(rows)


if __name__ == "__main__":
    app()
