"""Duplicate groups: transitive, with the fullest member as the canonical one.

A copy found later can bridge two groups (a teaser of one write-through that another
write-through extends), and a fuller copy can arrive after a teaser (most crawled text has no
date, so the order says little). Groups are merged and their canonical member re-chosen as
that happens; the members whose canonical changed are collected for the store to rewrite,
so the stored `duplicate_of` always points at the fullest member, never at another copy.
"""

from __future__ import annotations

from typing import Any


class Groups:
    """Only articles in a group of two or more are stored: singletons cost nothing."""

    def __init__(self) -> None:
        self._key: dict[str, str] = {}  # article -> group key (the group's first member)
        self._members: dict[str, list[str]] = {}
        self._best: dict[str, tuple[int, int, str]] = {}  # key -> (size, -seq, canonical id)
        self.changes: dict[str, str | None] = {}  # article -> new canonical (None: itself)

    def canonical(self, article_id: str) -> str:
        key = self._key.get(article_id)
        return self._best[key][2] if key else article_id

    def merge(self, new: tuple[str, int, int],
              others: list[tuple[str, int, int]]) -> str | None:
        """Put `new` (id, size, seq) in one group with `others` and their groups; return the
        canonical of the first group joined before the merge (the earlier text `new` follows),
        or None when `others` is empty."""
        if not others:
            return None
        followed = self.canonical(others[0][0])
        keys: list[str] = []
        for aid, size, seq in others:
            key = self._key.get(aid)
            if key is None:
                key = aid
                self._key[aid], self._members[aid] = aid, [aid]
                self._best[aid] = (size, -seq, aid)
            if key not in keys:
                keys.append(key)
        target = keys[0]
        before = {k: self._best[k][2] for k in keys}
        best = max([self._best[k] for k in keys] + [(new[1], -new[2], new[0])])
        for key in keys:
            if key != target:
                for aid in self._members.pop(key):
                    self._key[aid] = target
                    self._members[target].append(aid)
                del self._best[key]
        self._key[new[0]] = target
        self._members[target].append(new[0])
        self._best[target] = best
        for key in keys:
            if before[key] != best[2]:
                self._note(target)
                break
        else:
            self.changes[new[0]] = best[2]
        return followed

    def _note(self, key: str) -> None:
        canonical = self._best[key][2]
        for aid in self._members[key]:
            self.changes[aid] = None if aid == canonical else canonical

    def take_changes(self) -> dict[str, str | None]:
        out, self.changes = self.changes, {}
        return out

    def to_state(self) -> list[Any]:
        return [[self._best[k][0], self._best[k][1], self._best[k][2], members]
                for k, members in self._members.items()]

    @classmethod
    def from_state(cls, data: list[Any]) -> Groups:
        groups = cls()
        for size, neg_seq, canonical, members in data:
            key = members[0]
            groups._members[key] = list(members)
            groups._best[key] = (int(size), int(neg_seq), str(canonical))
            for aid in members:
                groups._key[aid] = key
        return groups
