"""Direct quotations: pair quotation marks, then decide which quoted spans are statements.

Pairing is a hand-written scan because the marks are ambiguous across styles: German „…“
closes with the glyph English uses to open (“…”), Swiss/French «…» and German »…« mirror each
other, and straight "…" only alternate. A mark that never closes within `MAX_QUOTE` characters
is ignored, so unbalanced input cannot swallow the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from storyline.stages.quotes import indirect as indirect
from storyline.stages.quotes.lex import Lexicon, lexicon
from storyline.stages.quotes.speaker import collect_np, skip_adverbials
from storyline.stages.quotes.text import Found, Tok

MAX_QUOTE = 3000
MIN_BARE_WORDS = 5  # a quotation this long is a statement even without a cue next to it
_MARKS = re.compile("[„“”»«\"]")
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
    marks = [m.start() for m in _MARKS.finditer(text)]
    out: list[tuple[int, int]] = []
    idx = 0
    while idx < len(marks):
        i = marks[idx]
        ch = text[i]
        if ch not in _PAIRS or not _opens(text, i):
            idx += 1
            continue
        closer_set, found, k = _PAIRS[ch], -1, idx + 1
        while k < len(marks) and marks[k] < i + MAX_QUOTE:
            j = marks[k]
            if j > i + 1 and _closes(text, j, closer_set, ch):
                found = j
                break
            if text[j] == ch and ch not in "\"“":
                break  # a second opener of the same kind: the first one never closed
            k += 1
        if found >= 0 and ch in "\"“" and text.find("\n\n", i, found) >= 0:
            found = -1  # straight/English quotes do not run across paragraphs
        if found < 0:
            idx += 1
            continue
        out.append((i, found + 1))
        idx = k + 1
    return out


def word_count(text: str, start: int, end: int) -> int:
    return sum(1 for w in text[start:end].split() if any(c.isalnum() for c in w))


def _tok_span(starts: list[int], ends: list[int], c0: int, c1: int) -> tuple[int, int]:
    return bisect_left(starts, c0), bisect_right(ends, c1)


def _sentence_of(sents: list[tuple[int, int]], firsts: list[int], k: int) -> tuple[int, int]:
    return sents[max(0, bisect_right(firsts, k) - 1)]


def find(text: str, toks: list[Tok], sents: list[tuple[int, int]]) -> list[Found]:
    """Quotations that are statements, with cue and source where the sentence shows them."""
    lex = lexicon()
    starts = [t.start for t in toks]
    ends = [t.end for t in toks]
    firsts = [a for a, _ in sents]
    out: list[Found] = []
    for c0, c1 in quote_spans(text):
        q0, q1 = _tok_span(starts, ends, c0, c1)
        if q1 <= q0:
            continue
        sa, _ = _sentence_of(sents, firsts, q0)
        _, sb = _sentence_of(sents, firsts, q1 - 1)
        words = word_count(text, c0, c1)
        if _is_name(toks, q0, sa, words):
            continue
        f = _attribute_direct(toks, q0, q1, sa, sb, lex)
        whole = q0 <= sa + 1 and (q1 >= sb - 1 or toks[q1 - 2].text in ".!?")
        prev = out[-1] if out else None
        if f is None and prev is not None and prev.s0 >= 0 and q0 - prev.m1 <= 8 and whole:
            f = Found(q0, q1, "direct", -1, prev.s0, prev.s1, True)  # "„A“, so X. „B“"
        named = q0 > sa and toks[q0 - 1].low in _NAMING
        if f is None and (words >= MIN_BARE_WORDS or named):
            f = _cue_in_sentence(toks, q0, q1, sa, sb, lex)
        if f is not None and (words >= 2 or (named and f.cue >= 0)):
            out.append(f)
    return out


_NAMING = frozenset({"als", "von", "vom"})  # "bezeichnete ihn als „…“", "sprach von „…“"


def _is_name(toks: list[Tok], q0: int, sa: int, words: int) -> bool:
    """A short quotation right after a noun is a name or title ("die Zeitung „Die Welt“",
    "Operation „Sturm“"), not a statement."""
    if q0 <= sa or words > 6:
        return False
    prev = toks[q0 - 1]
    return prev.text[:1].isupper() and q0 - 1 > sa and prev.low not in {"ich", "er", "sie"}


def _attribute_direct(toks: list[Tok], q0: int, q1: int, sa: int, sb: int, lex: Lexicon
                      ) -> Found | None:
    """Cue and source around a quote: after it ("“, so X", "“, wird X zitiert") or before it
    ("X sagte: „", "X: „")."""
    k = q1 + 1 if q1 < sb and toks[q1].text == "," else q1
    if k < sb:
        t = toks[k]
        if t.low in lex.cue_forms or t.low == "so" or t.low in lex.particle_of:
            parts = lex.particle_of.get(t.low, frozenset())
            j = skip_adverbials(toks, k + 1, sb)
            if j < sb and toks[j].low in {"es"}:
                j = skip_adverbials(toks, j + 1, sb)
            j += 1 if j < sb and toks[j].low in {"aus", "von", "vom", "seitens"} else 0
            src = collect_np(toks, j, sb, stops=parts, appos=True)
            if src or t.low != "so":
                return Found(q0, q1, "direct", k, *(src or (-1, -1)))
        if t.low in {"wird", "wurde", "werden", "wurden"}:
            src = collect_np(toks, k + 1, sb)
            cue = next((j for j in range(k + 1, sb) if toks[j].low.startswith("zitiert")), -1)
            if cue >= 0:
                return Found(q0, q1, "direct", cue, *(src or (-1, -1)))
        if t.text[:1].isupper() and k > q1 - 1:  # English: "“…,” Kirby said."
            src = collect_np(toks, k, sb)
            if src and src[1] < sb and toks[src[1]].low in lex.en_cues:
                return Found(q0, q1, "direct", src[1], *src)
        if t.low in lex.en_cues:  # "“…,” said Kirby."
            src = collect_np(toks, k + 1, sb)
            return Found(q0, q1, "direct", k, *(src or (-1, -1)))
    if q0 - 1 > sa and toks[q0 - 1].text in ":,":
        cue = next((j for j in range(q0 - 2, sa - 1, -1)
                    if toks[j].low in lex.cue_forms or toks[j].low in lex.en_cues
                    or toks[j].low in lex.particle_of), -1)
        if cue >= 0:
            src = indirect._subject(toks, sa, cue, q0 - 1, lex.particle_of.get(
                toks[cue].low, frozenset()))
            return Found(q0, q1, "direct", cue, *(src or (-1, -1)))
        if toks[q0 - 1].text == ":":
            src = collect_np(toks, sa, q0 - 1, appos=True)
            if src and src[1] == q0 - 1:
                return Found(q0, q1, "direct", -1, *src)
    return None


def _cue_in_sentence(toks: list[Tok], q0: int, q1: int, sa: int, sb: int, lex: Lexicon
                     ) -> Found:
    """A long quote without an adjacent cue: take the nearest cue in its sentence, if any
    ("Er sagte der Zeitung am Montag, es sei ... „…“" / "„…“ – mit diesen Worten warb X")."""
    for k in range(q0 - 1, sa - 1, -1):
        if toks[k].low in lex.cue_forms or toks[k].low in lex.particle_of:
            src = indirect._subject(toks, sa, k, q0, lex.particle_of.get(toks[k].low,
                                                                          frozenset()))
            return Found(q0, q1, "direct", k, *(src or (-1, -1)))
    for k in range(q1, sb):
        if toks[k].low in lex.cue_forms:
            src = collect_np(toks, skip_adverbials(toks, k + 1, sb), sb, appos=True)
            return Found(q0, q1, "direct", k, *(src or (-1, -1)))
    return Found(q0, q1, "direct")
