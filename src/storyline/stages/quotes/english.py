"""Reported speech in English sentences: "X said (that) MSG", "MSG, X said.", "MSG, said X.",
"according to X, MSG". Same contract as `indirect.german`."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.stages.quotes.lex import Lexicon
from storyline.stages.quotes.speaker import collect_np
from storyline.stages.quotes.text import Found, Tok, content_end

_MIN_MSG = 3


def english(toks: Sequence[Tok], a: int, b: int, lex: Lexicon) -> Found | None:
    """"X said (that) MSG", "MSG, X said.", "MSG, said X.", "according to X, MSG"."""
    e = content_end(toks, a, b)
    for k in range(a, e):
        low = toks[k].low
        if low == "according" and k + 1 < e and toks[k + 1].low == "to":
            src = collect_np(toks, k + 2, e)
            if not src:
                continue
            if k > a and toks[k - 1].text == "," and k - 1 - a >= _MIN_MSG:
                return Found(a, k - 1, "indirect", k, *src)
            m0 = src[1] + (1 if src[1] < e and toks[src[1]].text == "," else 0)
            if e - m0 >= _MIN_MSG:
                return Found(m0, e, "indirect", k, *src)
        elif low in lex.en_cues:
            if k > a and toks[k - 1].text == "," and k - 1 - a >= _MIN_MSG:  # "MSG, said X"
                src = collect_np(toks, k + 1, e)
                return Found(a, k - 1, "indirect", k, *(src or (-1, -1)))
            s = k - 1
            while s > a and toks[s - 1].text not in ",":
                s -= 1
            src = collect_np(toks, s, k)
            if src and src[1] == k and s - 1 - a >= _MIN_MSG and toks[s - 1].text == ",":
                return Found(a, s - 1, "indirect", k, *src)  # "MSG, X said"
            m0 = k + 1
            if low in {"told", "tells"}:
                np = collect_np(toks, m0, e)
                m0 = np[1] if np else m0
            if m0 < e and toks[m0].low in {"that", ","}:
                m0 += 1
            if src and e - m0 >= _MIN_MSG:
                return Found(m0, e, "indirect", k, *src)
    return None
