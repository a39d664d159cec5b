"""SQLite store: one writer (ingest), many readers with time limits (CLI, API, UI)."""

from storyline.store.db import Store, open_store

__all__ = ["Store", "open_store"]
