"""One article's place in the duplicate groups, events and stories: the step every runner of
the grouping takes, so they cannot drift apart.

`corpus.assign` (ingest, follow) and the Spark backfill's driver pass (`spark.group`) feed the
articles in `sort_key` order through `place` and re-point copies with `repoint` at the end.
The duplicate finder is `DedupIndex` itself or, in a backfill whose candidates were
confirmed in Spark, a walk over them that keeps the same groups (`spark.group`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from storyline.corpus.dedup.groups import Groups
from storyline.corpus.events import StoryIndex


class Deduper(Protocol):
    followed: str | None  # the earlier canonical the last added article was found to copy
    groups: Groups

    def add(self, article_id: str, data: Any) -> str | None: ...


def place(dedup: Deduper, events: StoryIndex, article_id: str, dedup_data: Any,
          feats: dict[str, Any], spent: dict[str, float] | None = None,
          clock: Callable[[], float] = time.perf_counter) -> tuple[str | None, str, str]:
    """(canonical if another article, event id, story id) of the next article in order: a
    copy goes where the earlier text it copies is (`followed`). `spent` adds up the seconds
    (of `clock`) of the two levels under "dedup" and "events"."""
    started = clock()
    duplicate_of = dedup.add(article_id, dedup_data)
    middle = clock()
    event_id, story_id = events.add(article_id, feats, dedup.followed)
    if spent is not None:
        spent["dedup"] = spent.get("dedup", 0.0) + middle - started
        spent["events"] = spent.get("events", 0.0) + clock() - middle
    return duplicate_of, event_id, story_id


def repoint(placed: list[tuple[str, str | None]], groups: Groups
            ) -> tuple[list[str | None], dict[str, str | None]]:
    """After a pass: a fuller or bridging copy that arrived later re-points its group. Returns
    the canonical of each (id, canonical) placed in this pass, and the changes left for
    articles of earlier passes."""
    changes: dict[str, Any] = groups.take_changes()
    dups = [changes.pop(aid) if aid in changes else dup for aid, dup in placed]
    return dups, changes
