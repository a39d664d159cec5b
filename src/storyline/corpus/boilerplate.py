"""Lines an outlet repeats across many of its articles (menus, disclaimers, newsletter blurbs).

The cue list in the clean stage knows common chrome; this index learns each outlet's own. The
pipeline counts line keys per outlet as articles arrive (counts persist in `outlet_lines`)
and hands each new article those of its lines the outlet already repeats, so the pure clean
stage can cut them. An outlet's first few articles keep such lines: the pattern has to show
first. Memory stays small: only the counts of the batch in flight are held.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

from storyline.model import Article
from storyline.settings import Settings
from storyline.stages.clean import line_keys


class OutletLines:
    def __init__(self, conn: sqlite3.Connection, settings: Settings) -> None:
        cfg = settings.section("clean")
        self.conn = conn
        self.min_count = int(cfg.get("repeat_min", 4))
        self.share = float(cfg.get("repeat_share", 0.5))
        self._new_articles: Counter[str] = Counter()
        self._new_lines: Counter[tuple[str, str]] = Counter()

    def _stored(self, outlet: str, keys: set[str]) -> tuple[int, dict[str, int]]:
        row = self.conn.execute("SELECT n FROM outlet_articles WHERE outlet=?",
                                (outlet,)).fetchone()
        counts = dict(self.conn.execute(
            "SELECT line_key, n FROM outlet_lines WHERE outlet=? AND line_key IN "
            "(SELECT value FROM json_each(?))", (outlet, json.dumps(sorted(keys)))))
        return (row[0] if row else 0), counts

    def annotate(self, article: Article) -> None:
        """Give the article those of its lines its outlet already repeats; count them."""
        if not article.outlet or not article.raw_text:
            return
        outlet = article.outlet
        keys = line_keys(article.raw_text)
        n_articles, stored = self._stored(outlet, keys)
        n_articles += self._new_articles[outlet]
        floor = max(self.min_count, self.share * n_articles)
        article.outlet_boilerplate = frozenset(
            k for k in keys if stored.get(k, 0) + self._new_lines[(outlet, k)] >= floor)
        self._new_articles[outlet] += 1
        for key in keys:
            self._new_lines[(outlet, key)] += 1

    def flush(self, conn: sqlite3.Connection) -> None:
        """Persist the counts gathered since the last flush (inside the caller's transaction)."""
        conn.executemany("INSERT INTO outlet_articles VALUES (?, ?) ON CONFLICT(outlet) "
                         "DO UPDATE SET n = n + excluded.n", self._new_articles.items())
        conn.executemany("INSERT INTO outlet_lines VALUES (?, ?, ?) ON CONFLICT(outlet, "
                         "line_key) DO UPDATE SET n = n + excluded.n",
                         [(o, k, n) for (o, k), n in self._new_lines.items()])
        self._new_articles.clear()
        self._new_lines.clear()
