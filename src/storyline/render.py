"""Plain-terminal rendering of an article with its facts (the CLI's `article` view)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

_STYLES = {"entities": "bold cyan", "quotes": "italic green", "dates": "bold magenta",
           "figures": "bold yellow"}


def article_text(a: dict[str, Any]) -> Text:
    """The clean text with facts styled in place, then each fact with its span."""
    out = Text()
    out.append(f"{a['title'] or '(untitled)'}\n", style="bold")
    out.append(f"{a['id']}  {a['outlet'] or '?'}  published {a['published'] or 'unknown'} "
               f"({a['published_source']})  lang {a['lang']}\n")
    out.append(f"event {a['event_id'] or '-'}  story {a['story_id'] or '-'}"
               f"{'  duplicate of ' + a['duplicate_of'] if a['duplicate_of'] else ''}\n\n")
    body = Text(a["text"])
    for kind, style in _STYLES.items():
        for f in a[kind]:
            body.stylize(style, f["start"], f["end"])
    out.append_text(body)
    out.append("\n")
    for kind in _STYLES:
        if not a[kind]:
            continue
        out.append(f"\n{kind}:\n", style="bold")
        for f in a[kind]:
            extra = {"entities": lambda f: f"{f['type']} → {f['canonical']}"
                     + (f" (role: {f['role']})" if f.get("role") else ""),
                     "quotes": lambda f: f"{f['kind']}, speaker {f['speaker'] or '?'}",
                     "dates": lambda f: f"= {f['value']}",
                     "figures": lambda f: f"= {f['value']:g} {f['what'] or ''}"}[kind](f)
            out.append(f"  [{f['start']}:{f['end']}] {f['text'][:80]!r} {extra}\n")
    if a.get("removed"):
        out.append("\nremoved boilerplate:\n", style="bold")
        for r in a["removed"]:
            out.append(f"  [{r['start']}:{r['end']}] {r['reason']}: {r['text'][:60]!r}\n")
    return out
