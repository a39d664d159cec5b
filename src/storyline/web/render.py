"""HTML building blocks computed server-side: highlighted article text, sparklines, safe links.

Everything here treats article text, titles, URLs and outlet names as hostile: text reaches
markup only through `markupsafe.escape` (or Jinja autoescape), and only http(s) URLs become
links.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"
_MONTH = re.compile(r"^\d{4}-\d{2}")
_KIND_CLASS = {"entities": "hl-ent", "quotes": "hl-quote", "dates": "hl-date",
               "figures": "hl-fig", "target": "hl-target"}


# Terminal escapes, C0 and C1 control characters but tab and newlines, and the bidi
# embeddings, overrides and isolates (U+202A-E, U+2066-9): an unterminated override in an
# outlet name reversed the page around it. The marks (LRM, RLM, ALM) stay: they only nudge
# one neighbour. Every value a template prints goes through `visible`.
_CONTROL = re.compile("(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"  # terminal escapes ("\x1b[31m")
                      "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(value: Any) -> Any:
    """Text without control characters (see _CONTROL); Markup stays Markup (removing them
    cannot change what is markup)."""
    if isinstance(value, str) and _CONTROL.search(value):
        cleaned = _CONTROL.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


def environment() -> Environment:
    """Templates with autoescape, and `visible` applied to every value they print."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, finalize=visible)
    env.filters.update(safe_url=safe_url, snippet=snippet, entity_url=entity_url,
                       short=short, emphasize=emphasize, conflict_values=conflict_values,
                       visible=lambda v: " ".join(str(visible(v or "")).split()))
    env.globals.update(sparkline=sparkline, barchart=barchart)
    return env


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None (no javascript:, data: or relative tricks)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def entity_url(key: str) -> str:
    return "/entities/" + quote(key, safe="")


def conflict_values(values: list[dict[str, Any]], n: int = 6,
                    outlets: int = 3) -> list[dict[str, Any]]:
    """A figure conflict as its distinct values (the `n` most reported, in value order), each
    with a few of its outlets and one report to read: in a long story hundreds of outlets
    repeat the same two or three numbers, and one line per report buried the disagreement."""
    groups: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for v in values:
        groups.setdefault((v["qualifier"], v["value"]), []).append(v)
    top = sorted(groups.values(), key=len, reverse=True)[:n]
    return [{"value": vs[0]["value"], "qualifier": vs[0]["qualifier"], "example": vs[0],
             "outlets": [v["outlet"] or "unknown outlet" for v in vs[:outlets]],
             "n_outlets": len(vs)} for vs in sorted(top, key=lambda vs: vs[0]["value"])]


def short(text: str | None, n: int = 140) -> str:
    text = " ".join(str(visible(text or "")).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def snippet(text: str | None, marks: list[Any] | None = None) -> Markup:
    """A search snippet with its matched words in <mark>, the text escaped piece by piece
    (`marks`: [start, end) pairs into the plain text; see `shape.clean_snippet`)."""
    text, out, at = text or "", [], 0
    for start, end in sorted(marks or []):
        if start < at or start >= end or end > len(text):
            continue
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>{}</mark>").format(text[start:end]))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def emphasize(text: str | None, needle: str | None) -> Markup:
    """The text with the first occurrence of `needle` in <strong>, both escaped."""
    text = text or ""
    i = text.find(needle) if needle else -1
    if i < 0 or not needle:
        return escape(text)
    return Markup("{}<strong>{}</strong>{}").format(text[:i], needle, text[i + len(needle):])


def _describe(kind: str, f: dict[str, Any]) -> str:
    if kind == "entities":
        return f"{f.get('type')}: {f.get('canonical') or f.get('text')}" + (
            f" ({f['role']})" if f.get("role") else "")
    if kind == "quotes":
        return f"{f.get('kind', 'quote')} quote" + (
            f", {f.get('speaker_canonical') or f.get('speaker')}" if f.get("speaker") else "")
    if kind == "dates":
        return f"date = {f.get('value')}"
    if kind == "figures":
        return f"figure = {f.get('value')} {f.get('what') or ''}".strip()
    return "linked passage"


def _spans(text: str, facts: dict[str, list[dict[str, Any]]]) -> list[tuple[int, int, str, dict]]:
    out = []
    for kind, rows in facts.items():
        for f in rows:
            start, end = max(0, int(f["start"])), min(len(text), int(f["end"]))
            if start < end:
                out.append((start, end, kind, f))
    return out


def _segment(piece: str, active: list[tuple[int, int, str, dict]], anchor: str | None) -> Markup:
    """One stretch of text covered by the same facts: a <mark> with all their classes; the
    innermost entity makes it a link. Overlaps never nest tags, so they cannot break markup."""
    kinds = sorted({_KIND_CLASS[k] for _, _, k, _ in active})
    ents = sorted((e - s, f) for s, e, k, f in active if k == "entities" and f.get("entity_key"))
    classes = " ".join(kinds + [f"ent-{ents[0][1].get('type', '')}"] if ents else kinds)
    title = "; ".join(dict.fromkeys(_describe(k, f) for _, _, k, f in active))
    ident = Markup(' id="{}"').format(anchor) if anchor else Markup("")
    inner = escape(piece)
    if ents:
        inner = Markup('<a href="{}">{}</a>').format(entity_url(ents[0][1]["entity_key"]), piece)
    return Markup('<mark class="{}" title="{}"{}>{}</mark>').format(classes, title, ident, inner)


def highlight(text: str, facts: dict[str, list[dict[str, Any]]], base: int = 0) -> Markup:
    """The clean text with every fact marked; each segment between fact offsets is escaped.
    `text` may be a part of the article starting at offset `base` (anchors stay global)."""
    spans = _spans(text, facts)
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    starts: dict[int, list[tuple[int, int, str, dict]]] = {}
    for sp in spans:
        starts.setdefault(sp[0], []).append(sp)
    active: list[tuple[int, int, str, dict]] = []
    out: list[Markup] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [sp for sp in active if sp[1] > a] + starts.get(a, [])
        piece = text[a:b]
        anchor = None
        if a in starts:
            anchor = "target" if any(k == "target" for _, _, k, _ in starts[a]) else f"c{a + base}"
        out.append(_segment(piece, active, anchor) if active else escape(piece))
    return Markup("").join(out)


def sparkline(binned: dict[str, Any], width: int = 120, height: int = 28) -> dict[str, Any]:
    """Column sparkline geometry (numbers only; the label reaches the SVG escaped). Columns,
    not a line: most stories span a few months, and two equal months drawn as a flat line
    read as "no data"."""
    counts = [b["n"] for b in binned["bins"]]
    if not counts:
        return {"bars": [], "width": width, "height": height}
    top, base = max(counts) or 1, height - 1
    slot = min(width / len(counts), 14.0)
    gap = slot * 0.25 if slot >= 4 else 0.0
    left = (width - slot * len(counts)) / 2
    bars = [{"x": round(left + i * slot + gap / 2, 2), "w": round(slot - gap, 2),
             "h": round(max(1.0, (n / top) * (base - 1)), 2) if n else 1.0, "zero": not n}
            for i, n in enumerate(counts)]
    for bar in bars:
        bar["y"] = round(base - bar["h"], 2)
    label = (f"{sum(counts)} articles by {binned['unit']}, "
             f"{binned['bins'][0]['date']} to {binned['bins'][-1]['date']}, peak {top}")
    # built here, not in the template: numbers and fixed class names only, and a story list
    # of 25 sparklines of up to 120 columns spent most of its time escaping them one by one
    rects = Markup("".join(
        f'<rect x="{b["x"]}" y="{b["y"]}" width="{b["w"]}" height="{b["h"]}" '
        f'class="{"spark-zero" if b["zero"] else "spark-bar"}"/>' for b in bars))
    return {"bars": bars, "rects": rects, "width": width, "height": height, "base": base,
            "label": label}


def barchart(binned: dict[str, Any], width: int = 640, height: int = 90) -> dict[str, Any]:
    """Bars for a small inline SVG (entity mentions over time), with a few axis labels."""
    counts = [b["n"] for b in binned["bins"]]
    if not counts:
        return {"bars": [], "width": width, "height": height}
    top, base = max(counts) or 1, height - 16
    slot = width / len(counts)
    gap = min(2.0, slot * 0.2)
    every = max(1, len(counts) // 6)
    bars = [{"x": round(i * slot + gap / 2, 1), "w": round(max(1.0, slot - gap), 1),
             "y": round(base - (n / top) * (base - 4), 1), "h": round((n / top) * (base - 4), 1),
             "n": n, "date": b["date"],
             "label": b["date"] if i % every == 0 or i == len(counts) - 1 else None,
             "anchor": "start" if i == 0 else "end" if i == len(counts) - 1 else "middle"}
            for i, (b, n) in enumerate(zip(binned["bins"], counts, strict=True))]
    return {"bars": bars, "width": width, "height": height, "base": base, "top": top,
            "unit": binned["unit"]}


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """Current filters with some changed: for pagination and facet links."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"
