"""One exception hierarchy for library users to catch."""


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""


class InputError(StorylineError):
    """An input could not be read or parsed (the ingest pipeline records these as skips)."""


class NotFound(StorylineError):
    """An id (article, event, story, entity) is not in the store."""


def failure(exc: BaseException) -> str:
    """An unexpected exception as one line for the skipped table and the terminal."""
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
