"""Outlet profiles: a user-editable CSV (outlet, country, language, type) that the outlet
comparison uses to show coverage by country and by type of outlet.

```
outlet,country,language,type
rheinblatt.example,DE,de,newspaper
Agentur Nord,DE,de,wire agency
```

Country is an ISO 3166 code (DE), language an ISO 639-1 code (de), either may be empty;
type is one of TYPES. A bad line is reported as `file line N: what is wrong` and left out
(the others still count); the page shows those messages. `[web] outlets_file` in the
settings names the file; empty means the small list shipped for the demo's outlets. The
server process and its panel worker (another process) read the same file: its path travels
in $STORYLINE_OUTLETS_FILE.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

DEFAULT = Path(__file__).parent / "outlets.csv"
ENV = "STORYLINE_OUTLETS_FILE"
TYPES = {"wire agency": "wire agency", "wire": "wire agency", "agency": "wire agency",
         "public broadcaster": "public broadcaster", "broadcaster": "public broadcaster",
         "newspaper": "newspaper", "blog": "blog"}
COLUMNS = ["outlet", "country", "language", "type"]


@dataclass(frozen=True)
class Profile:
    outlet: str
    country: str | None  # ISO 3166 alpha-2, upper case
    language: str | None  # ISO 639-1
    type: str


@dataclass
class Profiles:
    path: Path
    by_key: dict[str, Profile] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    digest: str = ""

    def get(self, outlet: str | None) -> Profile | None:
        return self.by_key.get(key(outlet)) if outlet else None


def key(outlet: str) -> str:
    """How an outlet name is matched: case, a leading www. and the reserved .example
    domain aside (so `rheinblatt.example` matches a folder named `rheinblatt`)."""
    name = outlet.strip().lower().removeprefix("www.")
    return name.removesuffix(".example")


def _check(row: dict[str, str]) -> tuple[Profile | None, str | None]:
    """The row as a profile, or what is wrong with it."""
    outlet = (row.get("outlet") or "").strip()
    country = (row.get("country") or "").strip().upper() or None
    language = (row.get("language") or "").strip().lower() or None
    kind = " ".join((row.get("type") or "").lower().split())
    if not outlet:
        return None, "no outlet name"
    if country and pycountry.countries.get(alpha_2=country) is None:
        return None, f"country {country!r} is not an ISO 3166 code such as DE or GB"
    if language and (len(language) != 2 or pycountry.languages.get(alpha_2=language) is None):
        return None, f"language {language!r} is not an ISO 639-1 code such as de or en"
    if kind not in TYPES:
        return None, (f"type {row.get('type')!r} is not one of "
                      f"{', '.join(sorted(set(TYPES.values())))}")
    return Profile(outlet, country, language, TYPES[kind]), None


def parse(text: str, path: Path) -> Profiles:
    """Profiles from the file's text; every bad line becomes a message naming it."""
    out = Profiles(path, digest=hashlib.sha1(text.encode()).hexdigest()[:12])
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return out
    header = [h.strip().lower() for h in next(csv.reader([lines[0][1]]))]
    if header != COLUMNS:
        out.errors.append(f"{path.name} line {lines[0][0]}: the first line must be the "
                          f"header {','.join(COLUMNS)}, not {lines[0][1]!r}")
        return out
    seen: dict[str, int] = {}
    for n, line in lines[1:]:
        cells = next(csv.reader([line]))
        if len(cells) != len(COLUMNS):
            out.errors.append(f"{path.name} line {n}: {len(cells)} fields, expected "
                              f"{len(COLUMNS)} ({','.join(COLUMNS)})")
            continue
        profile, problem = _check(dict(zip(COLUMNS, cells, strict=True)))
        if profile is not None and key(profile.outlet) in seen:
            problem = f"{profile.outlet!r} is already listed on line {seen[key(profile.outlet)]}"
        if profile is None or problem:
            out.errors.append(f"{path.name} line {n}: {problem}")
            continue
        seen[key(profile.outlet)] = n
        out.by_key[key(profile.outlet)] = profile
    return out


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Profiles:
    p = Path(path)
    try:
        return parse(p.read_text(encoding="utf-8"), p)
    except (OSError, UnicodeDecodeError) as exc:
        return Profiles(p, errors=[f"outlets file {p}: cannot be read ({exc})"])


def configure(path: str | Path | None) -> None:
    """Use this file (None or empty: the shipped default), here and in worker processes."""
    os.environ[ENV] = str(Path(path).expanduser()) if path else str(DEFAULT)


def current() -> Profiles:
    """The configured profiles, re-read when the file changes."""
    path = os.environ.get(ENV) or str(DEFAULT)
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = -1.0
    return _load(path, mtime)


def _share(rows: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows.values(), key=lambda r: (-r["n_articles"], r["name"]))


def coverage(outlets: list[dict[str, Any]], profiles: Profiles) -> dict[str, Any]:
    """The comparison's outlets summed by country and by type of outlet (articles and
    outlets each); outlets without a profile count as unknown."""
    by: dict[str, dict[str, dict[str, Any]]] = {"country": {}, "type": {}}
    unknown: list[str] = []
    for o in outlets:
        p = profiles.get(o.get("outlet"))
        if p is None:
            unknown.append(o.get("outlet") or "")
        values = {"country": _country(p.country) if p else "unknown",
                  "type": p.type if p else "unknown"}
        for dim, name in values.items():
            row = by[dim].setdefault(name, {"name": name, "n_articles": 0, "n_outlets": 0})
            row["n_articles"] += o.get("n_articles") or 0
            row["n_outlets"] += 1
    return {"by_country": _share(by["country"]), "by_type": _share(by["type"]),
            "unprofiled": unknown, "errors": profiles.errors}


def _country(code: str | None) -> str:
    found = pycountry.countries.get(alpha_2=code) if code else None
    return str(getattr(found, "common_name", None) or found.name) if found else "unknown"
