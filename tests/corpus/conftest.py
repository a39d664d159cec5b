"""A store built from the seeds and the German dev corpus, shared by the corpus-view tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import SEEDS, SHARED, require_shared

DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="session")
def dev_store(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[Store]:
    require_shared()
    store = Store(tmp_path_factory.mktemp("dev") / "t.db")
    run_ingest(store, [str(SEEDS), str(DEV / "corpus.jsonl")], settings)
    yield store
    store.close()
