"""`make bench`: synthetic corpora, the full pipeline timed per stage, and web latency."""
