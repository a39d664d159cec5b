"""A follow killed with -9 mid-poll, or stopped with SIGTERM, then run again: nothing lost,
nothing doubled, no stored page fetched twice."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from tests.follow.site import Site, article_html, rss, slow

PAGES = [f"/news/k{n}.html" for n in range(12)]


def _start(db: Path, tmp_path: Path, site: Site) -> subprocess.Popen[str]:
    config = tmp_path / "follow.toml"
    config.write_text("[follow]\nbatch_pages = 2\nhost_delay_seconds = 0\nconcurrency = 2\n")
    return subprocess.Popen([sys.executable, "-m", "storyline.cli", "--db", str(db), "--config",
                             str(config), "follow", f"{site.base}/kfeed.xml", "--once"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stored(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return {r[0] for r in conn.execute("SELECT url FROM follow_urls WHERE status = 200")}
    except sqlite3.OperationalError:  # not migrated yet
        return set()


def _wait_for(db: Path, proc: subprocess.Popen[str], n: int) -> set[str]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(stored := _stored(db)) >= n:
            return stored
        time.sleep(0.05)
    pytest.fail(f"follow stored fewer than {n} pages in time: {proc.poll()}")


@pytest.fixture
def slow_site(site: Site) -> Site:
    site.page("/kfeed.xml", rss(site.base, PAGES), "application/rss+xml", ETag='"k1"')
    for n, path in enumerate(PAGES, start=20):
        site.routes[path] = slow(0.4, article_html(n))
    return site


def _check_resume(db: Path, site: Site, before: set[str]) -> None:
    site.clear()
    result = CliRunner().invoke(app, ["--db", str(db), "follow", f"{site.base}/kfeed.xml",
                                      "--once"])
    assert result.exit_code == 0, result.output
    again = {site.base + p for p in site.requested("/news/")}
    assert not again & before  # nothing stored was fetched twice
    assert again == {site.base + p for p in PAGES} - before  # and the rest was fetched
    with sqlite3.connect(db) as conn:
        urls = [r[0] for r in conn.execute("SELECT url FROM articles")]
        fetched = conn.execute("SELECT COUNT(*) FROM follow_urls").fetchone()[0]
    assert sorted(urls) == sorted(site.base + p for p in PAGES)  # nothing lost or doubled
    assert fetched == len(PAGES)


def test_kill_9_mid_poll_then_once(tmp_path: Path, slow_site: Site) -> None:
    db = tmp_path / "k.db"
    proc = _start(db, tmp_path, slow_site)
    _wait_for(db, proc, 2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    before = _stored(db)
    assert 2 <= len(before) < len(PAGES)
    _check_resume(db, slow_site, before)


def test_sigterm_finishes_the_batch_and_exits_0(tmp_path: Path, slow_site: Site) -> None:
    db = tmp_path / "t.db"
    proc = _start(db, tmp_path, slow_site)
    _wait_for(db, proc, 2)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "stopped: every finished batch is committed" in err and "polled 1 sources" in out
    before = _stored(db)
    assert 2 <= len(before) < len(PAGES)
    with sqlite3.connect(db) as conn:  # the feed's validators wait until all its pages are in
        assert conn.execute("SELECT etag FROM follow_sources").fetchone()[0] is None
    _check_resume(db, slow_site, before)
