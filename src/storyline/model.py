"""The one object that flows through storyline: an `Article` and the facts found in it.

Every fact (mention, quote, date, figure) carries `start`/`end` character offsets into
`Article.text`, the clean text, so provenance is always (article id, span).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

EntityType = Literal["PER", "ORG", "LOC", "MISC"]
QuoteKind = Literal["direct", "indirect"]


# The export contract (DESIGN.md section 5): article fields, then each fact list's fields.
EXPORT_FIELDS = ("id", "source", "source_name", "url", "outlet", "title", "lang", "published",
                 "published_source", "text", "duplicate_of", "event_id", "story_id")
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    "entities": ("text", "type", "canonical", "start", "end", "role"),
    "quotes": ("text", "speaker", "speaker_canonical", "kind", "start", "end"),
    "dates": ("text", "value", "start", "end"),
    "figures": ("text", "value", "what", "qualifier", "start", "end"),
}


@dataclass
class Mention:
    """One occurrence of a named entity; `canonical` merges variants (Lawrow = Lavrov)."""

    text: str
    type: str
    start: int
    end: int
    canonical: str = ""
    role: str | None = None  # "US-Außenminister" in "US-Außenminister John Kerry"


@dataclass
class Quote:
    text: str
    start: int
    end: int
    kind: str = "direct"  # "direct" | "indirect"
    speaker: str | None = None
    speaker_canonical: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None  # the speech verb or phrase ("sagte", "so", "heißt es")


@dataclass
class TimeRef:
    """A temporal expression; `value` is YYYY-MM-DD, YYYY-MM, YYYY or XXXX-MM-DD."""

    text: str
    value: str
    start: int
    end: int


@dataclass
class Figure:
    text: str
    value: float
    start: int
    end: int
    what: str | None = None  # "killed", "injured", "people", ...
    qualifier: str | None = None  # "mindestens", "rund", "mehr als", ...


@dataclass
class Removed:
    """A block the cleaner cut, with offsets into `Article.raw_text` and the rule that fired."""

    text: str
    start: int
    end: int
    reason: str


@dataclass
class Article:
    """An article as it moves through the stages; stages fill fields and return it."""

    source: str  # path or URL as given
    raw_text: str  # text before cleaning (already extracted from HTML where it was HTML)
    source_name: str = ""
    source_key: str = ""  # where this text lives: URL, or folder/file[#record]; versions share it
    record: int | None = None  # line / record number inside the source, 1-based
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    html: str | None = None  # the original markup, when the input was HTML
    given_date: str | None = None  # a date the input itself declared (JSONL field, feed, meta)
    given_date_source: str = "given"  # "html-meta" when htmldate found it in the markup
    outlet_boilerplate: frozenset[str] = frozenset()  # line keys this outlet repeats (context)
    text: str = ""  # clean text; all offsets refer to it
    removed: list[Removed] = field(default_factory=list)
    lang: str = "und"
    lang_score: float = 0.0
    published: str | None = None  # YYYY-MM-DD or YYYY-MM
    published_source: str = "none"  # header | html-meta | url | text | crawl | given | none
    published_evidence: list[str] = field(default_factory=list)
    crawl_month: str | None = None
    duplicate_of: str | None = None
    event_id: str = ""
    story_id: str = ""
    entities: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[TimeRef] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    skip_reason: str | None = None  # set by a stage that decided the article is unusable

    @property
    def id(self) -> str:
        """Content hash of source and raw text: the same input always gets the same id."""
        return article_id(self.source_key or self.source_name or self.source, self.raw_text)

    def to_dict(self) -> dict[str, Any]:
        """The export record of DESIGN.md section 5 (the same shape `storyline export` writes)."""
        record: dict[str, Any] = {name: getattr(self, name) for name in EXPORT_FIELDS}
        for kind, names in FACT_FIELDS.items():
            record[kind] = [{n: getattr(f, n) for n in names} for f in getattr(self, kind)]
        for entity in record["entities"]:
            entity["canonical"] = entity["canonical"] or entity["text"]
        return record


def article_id(source_key: str, raw_text: str) -> str:
    """16 hex chars of sha256 over (source key, text).

    Re-ingesting the same file (from any working directory) gives the same id, so it adds
    nothing; a changed text under the same key gets a new id, i.e. a new version. Identical
    text from two outlets stays two articles: dedup groups them, nothing is double-counted.
    """
    payload = f"{source_key}\n{raw_text.strip()}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
