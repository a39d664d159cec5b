"""Readable labels for events and stories, from their members' feature records.

Entities name an event best ("Aleppo · Kerry · Lawrow"): keys are counted folded, so that
"Erdoğan" and "Erdogan" are one, and shown in the canonical spelling the members used most
(records since feature version 3 carry it). Without entities, the lemmas that occur in the
leads of most members; lemmas are all the records hold, so those are title-cased.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

MAX_PARTS = 4


def _pretty(term: str) -> str:
    return term[1:] if term.startswith("#") else term[:1].upper() + term[1:]


def label(feats_list: list[dict[str, Any]]) -> str:
    """Top entities, else top lead terms weighted by how many members share them."""
    if not feats_list:
        return ""
    ents: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for feats in feats_list:
        ents.update(set((feats.get("entities") or {}).keys()))
        for key, name in (feats.get("names") or {}).items():
            spellings.setdefault(key, Counter())[name] += 1
    parts = [k for k, n in sorted(ents.items(), key=lambda kv: (-kv[1], kv[0])) if n > 0]
    if len(parts) < 2:
        leads: Counter[str] = Counter()
        for feats in feats_list:
            terms = feats.get("terms") or {}
            lead = [t for t in (feats.get("lead") or []) if not t.startswith("#")]
            # a lead term counts once per member, more if the body repeats it
            leads.update({t: 1.0 + min(terms.get(t, 0), 5) / 5 for t in lead})
        parts += [t for t, _ in sorted(leads.items(), key=lambda kv: (-kv[1], kv[0]))
                  if t not in parts]
    return " · ".join(_show(p, spellings) for p in parts[:MAX_PARTS])


def _show(key: str, spellings: dict[str, Counter[str]]) -> str:
    names = spellings.get(key)
    if not names:
        return _pretty(key)
    return min(names.items(), key=lambda kv: (-kv[1], kv[0]))[0]
