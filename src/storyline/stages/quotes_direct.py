"""Direct quotations: pair quotation marks, then decide which quoted spans are statements.

Pairing is a hand-written scan because the marks are ambiguous across styles: German „…“
closes with the glyph English uses to open (“…”), Swiss/French «…» and German »…« mirror each
other, and straight "…" only alternate. A mark that never closes within `MAX_QUOTE` characters
is ignored, so unbalanced input cannot swallow the article.
"""

from __future__ import annotations

MAX_QUOTE = 3000
_PAIRS = {"„": "“”\"", "»": "«", "«": "»", "“": "”“", "\"": "\""}


def _closes(text: str, j: int, closer_set: str, opener: str) -> bool:
    """A closing mark: in the set and not itself opening something (followed by a letter)."""
    ch = text[j]
    if ch not in closer_set:
        return False
    if opener in "\"“" and ch == opener:
        # symmetric marks: a closer is not glued to the word after it
        nxt = text[j + 1] if j + 1 < len(text) else " "
        return not nxt.isalnum()
    return True


def _opens(text: str, i: int) -> bool:
    ch = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isspace() and ch in "\"«»“":
        return False  # a mark followed by a space closes (or is stray), it does not open
    if ch in "\"“":
        prev = text[i - 1] if i > 0 else " "
        return not prev.isalnum()
    return True


def quote_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of quoted passages, marks included, outermost only, in order."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch not in _PAIRS or not _opens(text, i):
            i += 1
            continue
        closer_set = _PAIRS[ch]
        limit = min(n, i + MAX_QUOTE)
        j = i + 1
        found = -1
        while j < limit:
            c = text[j]
            if _closes(text, j, closer_set, ch) and j > i + 1:
                found = j
                break
            if c == ch and ch not in "\"“" or text[j:j + 2] == "\n\n" and ch in "\"“":
                break  # a second opener of the same kind, or a paragraph break for "…"
            j += 1
        if found < 0:
            i += 1
            continue
        out.append((i, found + 1))
        i = found + 1
    return out


def word_count(text: str, start: int, end: int) -> int:
    return sum(1 for w in text[start:end].split() if any(c.isalnum() for c in w))
