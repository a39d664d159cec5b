"""One settings object: shipped defaults, then a user file, then explicit overrides."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

USER_FILE = Path.home() / ".config" / "storyline" / "settings.toml"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class Settings:
    """Sections of `defaults.toml` as plain dicts: `settings.section("dedup")["threshold"]`."""

    data: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.data.get(name, {}))

    def get(self, dotted: str) -> Any:
        section, _, key = dotted.partition(".")
        return self.data[section][key]

    def with_overrides(self, overrides: dict[str, Any]) -> Settings:
        """`{"dedup.threshold": 0.6}` or nested dicts."""
        nested: dict[str, Any] = {}
        for key, value in overrides.items():
            if "." in key:
                section, _, name = key.partition(".")
                nested.setdefault(section, {})[name] = value
            else:
                nested[key] = value
        return Settings(_merge(self.data, nested))


def load(path: str | Path | None = None, **overrides: Any) -> Settings:
    text = resources.files("storyline").joinpath("defaults.toml").read_text("utf-8")
    data = tomllib.loads(text)
    user = Path(path) if path else Path(os.environ.get("STORYLINE_CONFIG", USER_FILE))
    if user.is_file():
        data = _merge(data, tomllib.loads(user.read_text("utf-8")))
    return Settings(data).with_overrides(overrides)


_DEFAULT: Settings | None = None


def default() -> Settings:
    """Cached defaults for callers that pass no settings (the Python API)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load()
    return _DEFAULT
