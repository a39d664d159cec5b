"""Who a source phrase without a name refers to: "Er", "Sie", "der Minister".

News text names a person once ("Außenminister Jan Roth") and then refers back with a pronoun
or the bare role; these helpers find that earlier name (entities when the stage has them,
otherwise "Role Firstname Lastname" in the tokens).
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.model import Mention
from storyline.stages.quotes.lex import ARTICLES, Lexicon
from storyline.stages.quotes.speaker import cap, is_role
from storyline.stages.quotes.text import Tok


def last_person(mentions: Sequence[Mention], before: int) -> Mention | None:
    found: Mention | None = None
    for m in mentions:
        if m.type == "PER" and m.end <= before:
            found = m
    return found


def role_name_before(toks: Sequence[Tok], k: int, lex: Lexicon, window: int = 80
                     ) -> tuple[int, int] | None:
    """The nearest "Role Firstname Lastname" before token k (antecedent of "Er"/"Sie")."""
    for r in range(k - 1, max(-1, k - window), -1):
        if is_role(toks[r].text, lex) and r + 1 < k and cap(toks[r + 1]) \
                and not is_role(toks[r + 1].text, lex) and toks[r + 1].low not in ARTICLES:
            e = r + 1
            while e < k and cap(toks[e]) and not is_role(toks[e].text, lex) and e - r <= 3:
                e += 1
            return r + 1, e
    return None


def role_antecedent(toks: Sequence[Tok], a: int, b: int, lex: Lexicon, window: int = 400
                    ) -> tuple[int, int] | None:
    """"Der Minister" / "die Sprecherin" without a name: the name that followed the same role
    word earlier ("Außenminister Jan Roth"), the usual way news text refers back to a person."""
    if b - a > 3 or toks[a].low not in {"der", "die"} or not is_role(toks[b - 1].text, lex):
        return None
    role = toks[b - 1].low
    for r in range(a - 1, max(-1, a - window), -1):
        if not toks[r].low.endswith(role) or r + 1 >= a:
            continue
        e = r + 1
        while e < a and e - r <= 3 and toks[e].text[:1].isupper() and toks[e].low not in \
                ARTICLES and not is_role(toks[e].text, lex):
            e += 1
        if e > r + 1:
            return r + 1, e
    return None

