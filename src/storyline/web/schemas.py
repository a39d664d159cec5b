"""Response models of the JSON API, for the OpenAPI schema (and /docs).

They document the dicts the views return; the routes do not validate through them (a
stricter model than the data would turn an odd article into a 500), a test checks that
real responses fit them. `extra="allow"`: fields may be added, none are removed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Stats(Model):
    articles: int
    duplicates: int
    events: int
    stories: int
    outlets: int
    skipped: int
    languages: dict[str, int]
    pending_grouping: int


class Bin(Model):
    date: str = Field(description="YYYY-MM-DD, YYYY-MM or YYYY (see `unit`)")
    n: int


class Coverage(Model):
    unit: str = Field(description="day, month or year")
    bins: list[Bin]
    undated: int = Field(description="articles without a publication date")
    not_shown: int = Field(description="articles dated only coarser than `unit`")


class StorySummary(Model):
    id: str
    label: str = Field(description="the main actors")
    title: str | None = Field(None, description="headline: the most representative "
                                                "article's title")
    first_date: str | None
    last_date: str | None
    n_articles: int
    n_outlets: int
    n_events: int
    version: int | None = None
    coverage: Coverage | None = None


class StoryList(Model):
    stories: list[StorySummary]
    limit: int
    offset: int
    next_offset: int | None
    filters: dict[str, Any]


class ArticleCard(Model):
    id: str
    source: str
    source_name: str
    url: str | None
    outlet: str | None
    title: str | None
    lang: str
    published: str | None
    published_source: str
    duplicate_of: str | None
    event_id: str | None
    story_id: str | None
    copies: list[ArticleCard] = Field(description="copies of this text (duplicates folded; "
                                      "in event and story answers the first 10)")
    n_copies: int | None = Field(None, description="all copies of this text")


class Entity(Model):
    key: str
    type: str
    mentions: int
    articles: int
    name: str | None


class Quote(Model):
    article_id: str
    text: str
    kind: str
    speaker: str | None
    speaker_canonical: str | None
    speaker_key: str | None
    start: int
    end: int
    also_in: int = Field(0, description="other articles repeating this quote (wire copies)")


class Figure(Model):
    article_id: str
    text: str
    value: float
    what: str | None
    qualifier: str | None
    start: int
    end: int


class EventSummary(Model):
    id: str
    story_id: str
    label: str
    title: str | None = None
    first_date: str | None
    last_date: str | None
    n_articles: int
    n_outlets: int


class StoryEvent(EventSummary):
    articles: list[ArticleCard]
    more: int = Field(description="canonical articles of the event left out of this page")


class Story(StorySummary):
    events: list[StoryEvent]
    entities: list[Entity]
    n_quotes: int
    quotes: list[Quote]
    figures: list[Figure]
    events_offset: int
    events_limit: int
    next_events_offset: int | None


class Event(EventSummary):
    articles: list[ArticleCard]
    entities: list[Entity]
    quotes: list[Quote]
    n_top: int = Field(0, description="texts of the event (copies folded)")
    n_distinct_quotes: int = 0
    next_offset: int | None = None
    next_quotes_offset: int | None = None


class Fact(Model):
    text: str
    start: int
    end: int


class Article(Model):
    id: str
    source: str
    url: str | None
    outlet: str | None
    title: str | None
    lang: str
    published: str | None
    published_source: str
    text: str = Field(description="clean text, or of a long article the part "
                                  "text[part_start:part_end]; facts' offsets refer to the "
                                  "whole clean text")
    raw_text: str | None = Field(None, description="text as read, before cleaning "
                                 "(null for an article in parts)")
    part: int = Field(1, description="this part (a long article comes in parts)")
    parts: int = Field(1, description="how many parts")
    part_start: int = 0
    part_end: int = 0
    next_part: int | None = Field(None, description="?part= of the next part, if any")
    duplicate_of: str | None
    event_id: str | None
    story_id: str | None
    annotated: bool = Field(True, description="false: no entity or quote model for its "
                                              "language, so none were extracted")
    annotation_note: str | None = Field(None, description="why not, in words")
    entities: list[Fact]
    quotes: list[Fact]
    dates: list[Fact]
    figures: list[Fact]
    copies: list[str]


class EntityPage(Model):
    key: str
    name: str
    type: str
    n_mentions: int
    n_articles: int
    n_stories: int
    sampled: bool
    variants: list[tuple[str, int]]
    roles: list[tuple[str, int]]
    timeline: list[tuple[str, int]]
    quotes: list[dict[str, Any]]
    mentions: list[dict[str, Any]]


class Hit(Model):
    id: str
    title: str | None
    outlet: str | None
    lang: str
    published: str | None
    story_id: str | None
    event_id: str | None
    duplicate_of: str | None
    snippet: str = Field(description="plain text around the matches")
    marks: list[tuple[int, int]] = Field(default_factory=list, description="[start, end) "
                                         "of each matched word in `snippet`")
    copies: list[dict[str, Any]] = Field(default_factory=list, description="other hits "
                                         "of the same duplicate group (the first 20)")
    n_copies: int = Field(0, description="all other hits of the same duplicate group")


class SearchResult(Model):
    query: str
    total: int
    total_exact: bool
    hits: list[Hit]
    n_groups: int = Field(0, description="hits after folding copies: what limit and offset "
                          "page through")
    facets: dict[str, dict[str, int]]
    limit: int
    offset: int
    next_offset: int | None
    filters: dict[str, Any]


class Timeline(Model):
    entries: list[dict[str, Any]]
    undated: list[Any]


class CoverageBy(Model):
    by_country: list[dict[str, Any]] = Field(description="name, n_articles, n_outlets")
    by_type: list[dict[str, Any]] = Field(description="wire agency, public broadcaster, "
                                          "newspaper, blog or unknown")
    unprofiled: list[str] = Field(description="outlets the outlets file does not list")
    errors: list[str] = Field(description="lines of the outlets file left out, and why")


class Comparison(Model):
    outlets: list[dict[str, Any]]
    first_reporter: dict[str, Any] | None = None
    coverage_by: CoverageBy | None = Field(None, description="from the outlet profiles")


def ok(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route whose 200 answer `model` documents."""
    return {200: {"model": model}}
