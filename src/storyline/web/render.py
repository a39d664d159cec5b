"""HTML building blocks computed server-side: highlighted article text, sparklines, safe links.

Everything here treats article text, titles, URLs and outlet names as hostile: text reaches
markup only through `markupsafe.escape` (or Jinja autoescape), and only http(s) URLs become
links.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}")
_KIND_CLASS = {"entities": "hl-ent", "quotes": "hl-quote", "dates": "hl-date",
               "figures": "hl-fig", "target": "hl-target"}


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(safe_url=safe_url, snippet=snippet, entity_url=entity_url,
                       short=short, emphasize=emphasize, conflict_values=conflict_values)
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
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def snippet(text: str | None) -> Markup:
    """FTS snippet markers (\\x02 … \\x03) become <mark> after the text is escaped."""
    safe = escape(text or "")
    return Markup(safe.replace("\x02", Markup("<mark>")).replace("\x03", Markup("</mark>")))


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


def highlight(text: str, facts: dict[str, list[dict[str, Any]]]) -> Markup:
    """The clean text with every fact marked; each segment between fact offsets is escaped."""
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
            anchor = "target" if any(k == "target" for _, _, k, _ in starts[a]) else f"c{a}"
        out.append(_segment(piece, active, anchor) if active else escape(piece))
    return Markup("").join(out)


def _parse(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def bins(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Article counts per day, month or year, gaps filled with 0. Days only for a short story
    dated mostly to the day whose month-only dates fall inside its range (those are left
    out of a daily chart and counted in `not_shown`); years when months would exceed 36."""
    days = [(d, r["n"]) for r in rows if r["date"] and _DAY.match(r["date"])
            and (d := _parse(r["date"]))]
    months = [(r["date"][:7], r["n"]) for r in rows if r["date"] and _MONTH.match(r["date"])]
    total = sum(r["n"] for r in rows)
    undated = total - sum(n for _, n in months)
    day_share = sum(n for _, n in days) / max(1, sum(n for _, n in months))
    first, last = (min(days)[0], max(days)[0]) if days else (date.min, date.min)
    coarse_inside = all(first.isoformat()[:7] <= m <= last.isoformat()[:7] for m, _ in months)
    if days and day_share >= 0.5 and (last - first).days <= 120 and coarse_inside:
        counts: dict[str, int] = {}
        for d, n in days:
            counts[d.isoformat()] = counts.get(d.isoformat(), 0) + n
        keys = [(first + timedelta(i)).isoformat() for i in range((last - first).days + 1)]
        unit = "day"
    else:
        counts = {}
        for m, n in months:
            counts[m] = counts.get(m, 0) + n
        keys = _month_range(min(counts), max(counts)) if counts else []
        unit = "month"
        if len(keys) > 36:  # years of sparse mentions: a month axis would be mostly empty
            counts = {}
            for m, n in months:
                counts[m[:4]] = counts.get(m[:4], 0) + n
            keys = [str(y) for y in range(int(min(counts)), int(max(counts)) + 1)]
            unit = "year"
    binned = [{"date": k, "n": counts.get(k, 0)} for k in keys]
    return {"unit": unit, "bins": binned, "undated": undated,
            "not_shown": total - undated - sum(counts.get(k, 0) for k in keys)}


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{y:04d}-{m:02d}" <= last and len(out) < 600:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


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


def _mid(value: str) -> str:
    """A month-only date is plotted mid-month, where the month's bar is centred."""
    return f"{value[:7]}-15" if len(value) == 7 else value


def chart(binned: dict[str, Any], timeline: dict[str, Any] | None,
          events: list[dict[str, Any]]) -> dict[str, Any]:
    """Data for the story timeline chart (read by static/app.js from a JSON block)."""
    marks = []
    if timeline:
        for i, e in enumerate(timeline.get("entries", [])):
            if e.get("date") and _MONTH.match(str(e["date"])):
                marks.append({"x": _mid(e["date"]), "when": e["date"],
                              "label": short(e.get("label"), 90),
                              "n": e.get("n_articles") or 1, "anchor": f"entry-{i}"})
    else:
        for ev in events:
            if ev.get("first_date") and _MONTH.match(ev["first_date"]):
                marks.append({"x": _mid(ev["first_date"]), "when": ev["first_date"],
                              "label": short(ev.get("label"), 90),
                              "n": ev.get("n_articles") or 1, "anchor": f"event-{ev['id']}"})
    return {"unit": binned["unit"], "x": [b["date"] for b in binned["bins"]],
            "y": [b["n"] for b in binned["bins"]], "marks": marks}


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """Current filters with some changed: for pagination and facet links."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"
