"""`storyline follow`: keep stories current from feeds, news sitemaps and home pages.

sources (lists, OPML) -> poll (conditional requests, listings) -> pages (polite fetching,
batches through the normal ingest pipeline); the state lives in the store (`state`).
"""

from storyline.follow.poll import Poller, PollReport, follow
from storyline.follow.sources import gather
from storyline.follow.state import add_sources, listing

__all__ = ["PollReport", "Poller", "add_sources", "follow", "gather", "listing"]
