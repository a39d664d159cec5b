"""Stop word lists of spaCy, read without importing spaCy.

spaCy ships stop word lists for many languages without any model download, but importing
`spacy.lang.de.stop_words` imports spaCy itself first (~0.75 s of every start-up and of the
ingest warm-up, for a word list). Each list is a self-contained `stop_words.py` file in the
installed package, so it is executed on its own; should a future spaCy make it import
anything, the normal import is the fallback.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from importlib import import_module
from pathlib import Path


@lru_cache(maxsize=64)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang` (lower case, as spaCy lists them); empty if none."""
    if not lang.isalpha():
        return frozenset()
    spec = importlib.util.find_spec("spacy")  # finds the package without importing it
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / "lang" / lang / "stop_words.py"
        if path.is_file():
            namespace: dict[str, object] = {}
            try:
                exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
            except ImportError:
                pass
            else:
                words = namespace.get("STOP_WORDS")
                if isinstance(words, set | frozenset):
                    return frozenset(str(w) for w in words)
    try:
        return frozenset(import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)
    except (ImportError, AttributeError, ValueError):
        return frozenset()
