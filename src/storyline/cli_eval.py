"""`storyline eval ...`: score a stage against a gold set (each command calls
storyline.eval.runner)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from storyline.cli_common import STATE, err, out
from storyline.cli_common import emit as _emit

eval_app = typer.Typer(help="Score a stage against a gold set.", no_args_is_help=True)


def _eval(name: str, gold: Path | None, json_out: bool, **options: Any) -> None:
    from storyline.eval.runner import run

    try:
        result, text = run(name, gold, STATE["settings"], **options)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"eval {name}: {exc}")
        raise typer.Exit(1) from exc
    if json_out:
        return _emit(result)
    out.print(text)


GoldOpt = Annotated[Path | None, typer.Option(help="gold file (default: the dev set in "
                                                   "../shared)")]
JsonOpt = Annotated[bool, typer.Option("--json")]
ExportOpt = Annotated[Path | None, typer.Option(help="score this export instead of ingesting")]
IngestOpt = Annotated[list[str] | None, typer.Option(help="corpus to ingest into a temporary "
                                                          "database and score")]


@eval_app.command("clustering")
def eval_clustering(gold: GoldOpt = None, export: ExportOpt = None, ingest: IngestOpt = None,
                    level: str = "event", use_db: Annotated[bool, typer.Option(
                        help="score the current --db instead of a fresh ingest")] = False,
                    json_out: JsonOpt = False) -> None:
    """Pairwise and B-cubed precision/recall/F1 of events or stories (--level story)."""
    _eval("clustering", gold, json_out, export=export, ingest=ingest, level=level,
          db=STATE["db"] if use_db else None)


@eval_app.command("dedup")
def eval_dedup(gold: GoldOpt = None, export: ExportOpt = None, ingest: IngestOpt = None,
               use_db: Annotated[bool, typer.Option(help="score the current --db")] = False,
               json_out: JsonOpt = False) -> None:
    """Pairwise precision/recall/F1 over duplicate pairs."""
    _eval("dedup", gold, json_out, export=export, ingest=ingest,
          db=STATE["db"] if use_db else None)


@eval_app.command("ner")
def eval_ner(gold: GoldOpt = None, json_out: JsonOpt = False) -> None:
    """Strict span P/R/F1 per class and micro: German on GermEval 2014 dev (all and news
    sentences), English on UNER English-EWT test; --gold scores one file (.tsv German,
    .iob2 English)."""
    if gold is not None:
        return _eval("ner", gold, json_out)
    from storyline.eval.runner import run

    try:
        both = {lang: run(name, None, STATE["settings"]) for lang, name in (
            ("de", "ner"), ("en", "ner-en"))}
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"eval ner: {exc}")
        raise typer.Exit(1) from exc
    if json_out:
        return _emit({lang: result for lang, (result, _) in both.items()})
    for lang, (_, text) in both.items():
        out.print(f"== {lang}\n{text}", markup=False)  # "[all]" is no style tag


@eval_app.command("timex")
def eval_timex(gold: GoldOpt = None, json_out: JsonOpt = False) -> None:
    """Extraction and normalisation P/R/F1 on WikiWarsDE."""
    _eval("timex", gold, json_out)


@eval_app.command("quotes")
def eval_quotes(gold: GoldOpt = None, json_out: JsonOpt = False) -> None:
    """Message, speaker and joint P/R/F1 on SpkAtt-2023 news dev."""
    _eval("quotes", gold, json_out)


@eval_app.command("titles")
def eval_titles(gold: GoldOpt = None, baseline: Annotated[bool, typer.Option(
                    help="also score trafilatura's metadata title (slower)")] = True,
                json_out: JsonOpt = False) -> None:
    """Exact-title accuracy on trafilatura's evaluation pages, beside trafilatura's own."""
    _eval("titles", gold, json_out, baseline=baseline)


@eval_app.command("all")
def eval_all(json_out: JsonOpt = False) -> None:
    """Every scorer on its default dev/gold set in ../shared."""
    from storyline.eval.runner import run

    results = {}
    for name, level in (("clustering", "event"), ("clustering-bi", "event"),
                        ("clustering", "story"), ("dedup", ""), ("ner", ""), ("ner-en", ""),
                        ("timex", ""), ("quotes", ""), ("titles", "")):
        opts: dict[str, Any] = {"level": level} if level else {}
        result, text = run(name, None, STATE["settings"], **opts)
        results[f"{name}:{level}".rstrip(":")] = result
        if not json_out:
            out.print(f"\n== {name} {level}\n{text}")
    if json_out:
        _emit(results)
