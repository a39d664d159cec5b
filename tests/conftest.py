"""Shared fixtures: the real seeds and corpora in ../shared, settings, a fresh store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline import settings as settings_mod
from storyline.settings import Settings
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
HAS_SHARED = SEEDS.is_dir()
SHARED_REASON = (f"needs ../shared (seeds, labeled corpora, gold sets; never shipped) beside "
                 f"the repository: {SHARED} is missing")
needs_shared = pytest.mark.skipif(not HAS_SHARED, reason=SHARED_REASON)


def require_shared() -> None:
    """For fixtures built from ../shared: every test using them skips with one reason."""
    if not HAS_SHARED:
        pytest.skip(SHARED_REASON)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return settings_mod.load()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "test.db")
    yield s
    s.close()


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))
