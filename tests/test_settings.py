from __future__ import annotations

from pathlib import Path

import pytest

from storyline import settings as settings_mod


def test_defaults_then_user_file_then_overrides(tmp_path: Path) -> None:
    user = tmp_path / "s.toml"
    user.write_text("[dedup]\nmin_sentences = 4\n[web]\npage_size = 10\n", "utf-8")
    s = settings_mod.load(user, **{"web.page_size": 50})
    assert s.get("dedup.min_sentences") == 4
    assert s.get("web.page_size") == 50
    assert s.get("dedup.shingle_words") == settings_mod.load(tmp_path / "none.toml").get(
        "dedup.shingle_words")


def test_environment_names_the_user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "env.toml"
    user.write_text("[ingest]\nbatch_size = 7\n", "utf-8")
    monkeypatch.setenv("STORYLINE_CONFIG", str(user))
    assert settings_mod.load().get("ingest.batch_size") == 7
