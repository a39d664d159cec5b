"""Schema migrations, applied in order and recorded in the database itself."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from storyline.store.storynames import MENTION_JOIN, REKEY, SPEAKER_JOIN, STORY_NAMES, TABLE

# Per-story aggregates the pages read instead of scanning a story's articles and facts on
# every request (a story can hold thousands of articles). `refresh_groups` recomputes them for
# the stories an ingest touched, with `only` narrowing `a.story_id`; migration 2 fills them.
STORY_AGGREGATES = (
    "INSERT INTO story_days SELECT a.story_id, COALESCE(a.published, a.crawl_month), COUNT(*) "
    "FROM articles a WHERE a.story_id IS NOT NULL AND a.superseded_by IS NULL {only} "
    "GROUP BY 1, 2",
    STORY_NAMES,  # before the two below, which read it
    # the name shown is the story's most frequent canonical form of the key (longest on ties;
    # names written that way before one moved there by story_names);
    # window functions in one pass: a join of two grouped subqueries has no index to use
    "INSERT INTO story_entities WITH g AS (SELECT a.story_id AS sid, "
    "COALESCE(r.key, m.entity_key) AS k, m.canonical AS c, MIN(COALESCE(r.type, m.type)) AS t, "
    "MIN(r.key IS NOT NULL) AS moved, m.article_id AS aid, COUNT(*) AS cnt "
    "FROM articles a JOIN mentions m ON m.article_id = a.id "
    f"{MENTION_JOIN.format(m='m')} WHERE a.story_id IS NOT NULL "
    "AND a.superseded_by IS NULL {only} GROUP BY sid, k, c, aid), "
    "f AS (SELECT sid, k, c, t, cnt, SUM(cnt) OVER (PARTITION BY sid, k, c) AS cn, "
    "MIN(moved) OVER (PARTITION BY sid, k, c) AS mv, "
    "ROW_NUMBER() OVER (PARTITION BY sid, k, aid) = 1 AS first FROM g), "
    "w AS (SELECT sid, k, c, t, SUM(cnt) OVER p AS n, SUM(first) OVER p AS na, "
    "ROW_NUMBER() OVER (PARTITION BY sid, k ORDER BY mv, cn DESC, LENGTH(c) DESC, c) AS r "
    "FROM f WINDOW p AS (PARTITION BY sid, k)) "
    "SELECT sid, k, t, c, n, na FROM w WHERE r = 1",
    # a speaker moved to a story's entity is named as that entity is
    "INSERT INTO story_speakers SELECT a.story_id, COALESCE(e.name, "
    "NULLIF(q.speaker_canonical, ''), NULLIF(q.speaker, ''), 'unattributed'), COUNT(*) "
    f"FROM articles a JOIN quotes q ON q.article_id = a.id {SPEAKER_JOIN.format(q='q')} "
    "LEFT JOIN story_entities e ON e.story_id = r.story_id AND e.entity_key = r.key "
    "WHERE a.story_id IS NOT NULL AND a.superseded_by IS NULL {only} GROUP BY 1, 2",
)
STORY_AGGREGATE_TABLES = ("story_days", "story_names", "story_entities", "story_speakers")

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "articles, facts, groups, skipped, full-text search", """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    source_name TEXT NOT NULL,
    source_key TEXT NOT NULL,
    record INTEGER,
    url TEXT, outlet TEXT, title TEXT,
    lang TEXT NOT NULL DEFAULT 'und', lang_score REAL,
    published TEXT, published_source TEXT NOT NULL DEFAULT 'none', published_evidence TEXT,
    crawl_month TEXT,
    text TEXT NOT NULL, raw_text TEXT NOT NULL, removed TEXT,
    sort_key TEXT NOT NULL,
    features TEXT,
    duplicate_of TEXT, event_id TEXT, story_id TEXT,
    supersedes TEXT, superseded_by TEXT,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_event ON articles(event_id);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_source_key ON articles(source_key);
CREATE INDEX articles_sort ON articles(sort_key);
CREATE INDEX articles_pending ON articles(event_id) WHERE event_id IS NULL;
CREATE INDEX articles_outlet ON articles(outlet);
CREATE TABLE mentions (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, type TEXT NOT NULL, canonical TEXT NOT NULL, entity_key TEXT NOT NULL,
    role TEXT
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_key ON mentions(entity_key);
CREATE TABLE quotes (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, kind TEXT NOT NULL, speaker TEXT, speaker_canonical TEXT,
    speaker_key TEXT, speaker_start INTEGER, speaker_end INTEGER, cue TEXT
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker_key);
CREATE TABLE dates (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, value TEXT NOT NULL
);
CREATE INDEX dates_article ON dates(article_id);
CREATE TABLE figures (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, value REAL NOT NULL, what TEXT, qualifier TEXT
);
CREATE INDEX figures_article ON figures(article_id);
CREATE TABLE events (
    id TEXT PRIMARY KEY, story_id TEXT NOT NULL, label TEXT NOT NULL DEFAULT '',
    first_date TEXT, last_date TEXT, n_articles INTEGER NOT NULL, n_outlets INTEGER NOT NULL
);
CREATE INDEX events_story ON events(story_id);
CREATE TABLE stories (
    id TEXT PRIMARY KEY, label TEXT NOT NULL DEFAULT '', first_date TEXT, last_date TEXT,
    n_articles INTEGER NOT NULL, n_outlets INTEGER NOT NULL, n_events INTEGER NOT NULL
);
CREATE INDEX stories_last ON stories(last_date);
CREATE TABLE skipped (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, record INTEGER, reason TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE UNIQUE INDEX skipped_once ON skipped(source, IFNULL(record, 0), reason);
CREATE TABLE corpus_state (name TEXT PRIMARY KEY, data BLOB, watermark TEXT);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, lemmas, tokenize = 'unicode61 remove_diacritics 2'
);
"""),
    (2, "read indexes and per-story aggregates for the web at 100k articles", """
CREATE INDEX articles_meta ON articles(rowid, superseded_by, story_id, outlet, lang);
CREATE INDEX articles_story_cover ON articles(story_id, superseded_by, sort_key, id, event_id,
    duplicate_of, outlet, lang, published, published_source, crawl_month);
CREATE INDEX articles_dup ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX articles_live ON articles(superseded_by, outlet, lang, duplicate_of);
CREATE INDEX articles_lang_story ON articles(lang, story_id);
CREATE INDEX articles_outlet_story ON articles(outlet, story_id);
DROP INDEX articles_outlet;
CREATE INDEX stories_size ON stories(n_articles DESC, last_date DESC, id);
CREATE INDEX stories_recent ON stories(last_date DESC, n_articles DESC, id);
CREATE INDEX events_story_date ON events(story_id, first_date, id);
DROP INDEX events_story;
ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
CREATE TABLE story_entities (
    story_id TEXT NOT NULL, entity_key TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL,
    mentions INTEGER NOT NULL, articles INTEGER NOT NULL, PRIMARY KEY (story_id, entity_key)
) WITHOUT ROWID;
CREATE INDEX story_entities_key ON story_entities(entity_key, mentions);
CREATE INDEX story_entities_rank ON story_entities(story_id, mentions DESC, entity_key);
CREATE TABLE story_days (story_id TEXT NOT NULL, date TEXT, n INTEGER NOT NULL);
CREATE INDEX story_days_story ON story_days(story_id, date);
CREATE TABLE story_speakers (
    story_id TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (story_id, name)
) WITHOUT ROWID;
"""),  # filled by migration 7 (the aggregates read its story_names)
    (3, "per-outlet line counts for boilerplate detection", """
CREATE TABLE outlet_lines (
    outlet TEXT NOT NULL, line_key TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (outlet, line_key)
) WITHOUT ROWID;
CREATE TABLE outlet_articles (outlet TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""),
    # a story page lists ~200 articles by id; from the table each is a page of its own (the
    # text sits in the row), cold p50 111 ms at 100k; from this index 2 ms
    (4, "covering index for article cards", """
CREATE INDEX articles_card ON articles(id, source, source_name, url, outlet, title, lang,
    published, published_source, duplicate_of, event_id, story_id);
"""),
    # `storyline follow`: the followed sources with their HTTP validators and poll schedule,
    # and every page URL requested (a killed follow resumes without refetching what it stored:
    # a page's row commits in the transaction of its article)
    (5, "followed sources and fetched URLs", """
CREATE TABLE follow_sources (
    url TEXT PRIMARY KEY, origin TEXT, kind TEXT, etag TEXT, last_modified TEXT,
    added_at TEXT NOT NULL, last_poll TEXT, next_poll TEXT, failures INTEGER NOT NULL DEFAULT 0,
    last_status TEXT, last_error TEXT, last_new INTEGER NOT NULL DEFAULT 0,
    total_new INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE follow_urls (
    url TEXT PRIMARY KEY, source TEXT, status INTEGER, reason TEXT, attempts INTEGER NOT NULL,
    fetched_at TEXT NOT NULL
) WITHOUT ROWID;
"""),
    # headlines (corpus/headlines.py); filled by `refresh_groups`, for older groups by the
    # store right after this migration (TITLES_MIGRATION)
    (6, "event and story headlines", """
ALTER TABLE events ADD COLUMN title TEXT;
ALTER TABLE events ADD COLUMN title_article TEXT;
ALTER TABLE events ADD COLUMN titles TEXT;
ALTER TABLE stories ADD COLUMN title TEXT;
ALTER TABLE stories ADD COLUMN title_article TEXT;
ALTER TABLE stories ADD COLUMN titles TEXT;
"""),    # persons keyed by initial and surname, names resolved per story (store/storynames.py);
    # the SQL functions come from storynames.register, which every connection gets
    (7, "person keys with initials, story-level names", TABLE + ";" + REKEY + ";"
     + ";\n".join(f"DELETE FROM {t}" for t in STORY_AGGREGATE_TABLES) + ";"
     + ";\n".join(sql.format(only="") for sql in STORY_AGGREGATES)
     + ";UPDATE stories SET version = version + 1"),  # pages cached by version: redraw
    # search (store/search.py): word -> lemma pairs kept at indexing time, recorded for the
    # articles after `word_lemmas_since.after`; the duplicate group and event of a candidate
    # hit from an index (folded before paging: the row itself holds the text first)
    (8, "word lemmas for queries, search grouping index", """
CREATE TABLE word_lemmas (
    form TEXT NOT NULL, lang TEXT NOT NULL, lemma TEXT NOT NULL, PRIMARY KEY (form, lang)
) WITHOUT ROWID;
CREATE TABLE word_lemmas_since (after INTEGER NOT NULL);
INSERT INTO word_lemmas_since SELECT COALESCE(MAX(rowid), 0) FROM articles;
CREATE INDEX articles_groups ON articles(rowid, id, duplicate_of, event_id)
"""),
]
TITLES_MIGRATION = 6


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                 "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    applied = []
    for version, name, sql in MIGRATIONS:
        if version in done:
            continue
        with conn:
            conn.execute("BEGIN")
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, now()))
        applied.append(version)
    return applied


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]
