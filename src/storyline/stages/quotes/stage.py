"""Quotes stage: who said what, as direct and reported (indirect) speech with speakers.

Rule-based on purpose: it must run in a few milliseconds per article, explain itself (`cue`),
and work before/without the entities stage. `extract` is the whole stage on plain text and
returns `Statement`s that keep the local source phrase (e.g. the pronoun "Er" as written) next
to the resolved speaker; `run` turns them into `Quote`s on the article.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.model import Article, Mention, Quote
from storyline.settings import Settings
from storyline.stages.quotes import direct as direct
from storyline.stages.quotes import indirect as indirect
from storyline.stages.quotes.credible import apposed_person, credible
from storyline.stages.quotes.english import english
from storyline.stages.quotes.lex import (
    EN_PRONOUNS,
    FRONTED,
    PRONOUNS,
    STRONG_SUBJUNCTIVE,
    SUBJUNCTIVE,
    lexicon,
)
from storyline.stages.quotes.mood import hearsay, konjunktiv
from storyline.stages.quotes.refer import last_person, role_antecedent, role_name_before
from storyline.stages.quotes.speaker import (
    collect_np,
    entity_in,
    is_role,
    name_in,
    plausible_source,
)
from storyline.stages.quotes.text import Found, Tok, sentences, tokenize

SETS = ("quotes",)


@dataclass
class Statement:
    """A quote with both the source phrase as written and the resolved speaker."""

    quote: Quote
    source_start: int | None = None  # the phrase next to the cue: "Er", "Sprecher John Kirby"
    source_end: int | None = None


def run(article: Article, settings: Settings) -> Article:
    opts = settings.section("quotes")
    article.quotes = [s.quote for s in extract(
        article.text, article.entities, lang=article.lang,
        max_chars=int(opts.get("max_chars", 400_000)))]
    return article


def extract(text: str, entities: Sequence[Mention] = (), *, lang: str = "de",
            max_chars: int = 400_000) -> list[Statement]:
    """All statements in `text`, in text order; offsets are exact into `text`."""
    if not text or not text.strip():
        return []
    text = text[:max_chars]
    toks = tokenize(text)
    sents = sentences(text, toks)
    found = direct.find(text, toks, sents) + [
        f for f in _indirect(toks, sents, lang) if f.kind != "reported"
        or plausible_source(toks, f.s0, f.s1, entities, lexicon())]
    found = _resolve_overlaps(found)
    found = _continuations(toks, sents, found)
    found = _borrow_sources(toks, sents, found)
    return _speakers(text, toks, found, entities)


def _indirect(toks: list[Tok], sents: list[tuple[int, int]], lang: str) -> list[Found]:
    lex = lexicon()
    out: list[Found] = []
    for a, b in sents:
        f = english(toks, a, b, lex) if lang == "en" else indirect.german(
            toks, a, b, lex)
        if f is not None:
            out.append(f)
    return out


def _resolve_overlaps(found: list[Found]) -> list[Found]:
    """A direct quote wins over a reported message it mostly covers; a short quote inside a
    reported message is part of it, not a statement of its own."""
    found.sort(key=lambda f: (f.m0, -f.m1))
    keep: list[Found] = []
    for f in found:
        # kept statements do not overlap and are sorted, so only the last one can clash
        clash = keep[-1] if keep and keep[-1].m1 > f.m0 else None
        if clash is None:
            keep.append(f)
            continue
        d, r = (clash, f) if clash.kind == "direct" else (f, clash)
        if d.kind != "direct" or r.kind == "direct":
            continue
        d_len, r_len = d.m1 - d.m0, r.m1 - r.m0
        same_cue = d.cue >= 0 and d.cue == r.cue
        winner = d if d_len >= 0.6 * r_len or same_cue else r
        if winner is d and d.s0 < 0 and r.s0 >= 0:
            winner = d._replace(cue=r.cue, s0=r.s0, s1=r.s1)
        keep[-1] = winner
    return keep


def _continuations(toks: list[Tok], sents: list[tuple[int, int]], found: list[Found]
                   ) -> list[Found]:
    """Sentences in the subjunctive right after a statement continue it (same source);
    consecutive ones merge into one statement, as the SpkAtt annotators did."""
    found = sorted(found, key=lambda f: f.m0)
    out: list[Found] = []
    prev: Found | None = None
    fi = 0
    for a, b in sents:
        while fi < len(found) and found[fi].m1 <= a:
            fi += 1
        last = fi
        while last < len(found) and found[last].m0 < b:
            last += 1
        if last > fi:  # the sentence holds a statement: it becomes the one to continue
            prev = found[last - 1]
            continue
        if prev is not None and any(toks[k].low in SUBJUNCTIVE for k in range(a, b)):
            if out and out[-1].carried and out[-1].m1 == a:
                out[-1] = out[-1]._replace(m1=b)
            else:
                out.append(Found(a, b, "indirect", -1, prev.s0, prev.s1, True))
                prev = out[-1]
            continue
        if any(toks[k].low in STRONG_SUBJUNCTIVE for k in range(a, b)) or konjunktiv(
                toks, a, b) or hearsay(toks, a, b):  # free indirect
            out.append(Found(a, b, "indirect", -1, -1, -1, True))
            prev = out[-1]
            continue
        prev = None
    return sorted(found + out, key=lambda f: f.m0)


def _borrow_sources(toks: list[Tok], sents: list[tuple[int, int]], found: list[Found]
                    ) -> list[Found]:
    """A statement without a cue belongs to whoever spoke in the sentence before; a quotation
    else to the subject of that sentence ("Volker Beck kritisierte den Papst. „…“"); either
    else to the last speaker a few sentences back (reported speech runs on in Konjunktiv)."""
    firsts = [a for a, _ in sents]
    out: list[Found] = []
    for f in found:
        if f.s0 < 0 and f.cue < 0:
            si = bisect_right(firsts, f.m0) - 1
            sa = sents[si][0]
            before = out[-1] if out and out[-1].m1 > firsts[max(0, si - 1)] else None
            if before is not None and before.s0 >= 0:
                f = f._replace(s0=before.s0, s1=before.s1, carried=True)
            elif f.kind == "direct" and (si > 0 or f.m0 > sa):
                a = sa if f.m0 > sa else sents[si - 1][0]
                np = collect_np(toks, a, f.m0) if toks[a].low not in FRONTED else None
                if np is not None and (np[1] == f.m0 - 1 or toks[np[1]].text[:1].islower()):
                    f = f._replace(s0=np[0], s1=np[1], carried=True)
            if f.s0 < 0:
                f = _recent_source(out, firsts[max(0, si - _CARRY_SENTENCES)], f)
        out.append(f)
    return out


_CARRY_SENTENCES = 3  # how far back a statement without cue or speaker looks for one


def _recent_source(done: list[Found], since: int, f: Found) -> Found:
    """The source of the latest statement with one that ends after token `since`: news text
    keeps reporting one speaker over several sentences ("Er sagte, ... . Viele seien ...")."""
    for g in reversed(done):
        if g.m1 <= since:
            break
        if g.s0 >= 0:
            return f._replace(s0=g.s0, s1=g.s1, carried=True)
    return f


def _speakers(text: str, toks: list[Tok], found: list[Found], ents: Sequence[Mention]
              ) -> list[Statement]:
    out: list[Statement] = []
    last_name: _Named | None = None
    prev: _Named | None = None
    for f in found:
        c0, c1 = toks[f.m0].start, toks[f.m1 - 1].end
        kind = "direct" if f.kind == "direct" else "indirect"
        q = Quote(text[c0:c1], c0, c1, kind, cue=toks[f.cue].text if f.cue >= 0 else None)
        st = Statement(q)
        named: _Named | None = None
        if f.carried and f.s0 >= 0 and ents and not plausible_source(
                toks, f.s0, f.s1, ents, lexicon()):  # a guessed source that cannot speak
            f = f._replace(s0=-1, s1=-1)
        if f.s0 >= 0:
            st.source_start, st.source_end = toks[f.s0].start, toks[f.s1 - 1].end
            low = toks[f.s0].low if f.s1 - f.s0 == 1 else ""
            if low in PRONOUNS or low in EN_PRONOUNS:
                per = last_person(ents, st.source_start) if ents else None
                named = (per.text, per.canonical or per.text, per.start, per.end) if per \
                    else _antecedent(text, toks, f.s0, last_name)
            elif low in indirect.ANAPHORIC:  # "Demnach": whoever spoke last
                named = prev
            else:
                named, person = _name(text, toks, f, ents)
                if not credible(named[0], named[2], named[3], ents, lexicon()):
                    named = None  # "Ohnehin", "Erklärung": no one to credit
                elif person:
                    last_name = named
        if named is not None:
            q.speaker, q.speaker_canonical, q.speaker_start, q.speaker_end = named
            prev = named
        out.append(st)
    return out


_Named = tuple[str, str, int, int]


def _antecedent(text: str, toks: list[Tok], k: int, last: _Named | None) -> _Named | None:
    """Without entities: the later of the last person speaker and the last "Role Name"."""
    rn = role_name_before(toks, k, lexicon())
    if rn is None:
        return last
    c0, c1 = toks[rn[0]].start, toks[rn[1] - 1].end
    if last is not None and last[2] >= c0:
        return last
    return (text[c0:c1], text[c0:c1], c0, c1)


def _name(text: str, toks: list[Tok], f: Found, ents: Sequence[Mention]
          ) -> tuple[_Named, bool]:
    """Speaker inside the source phrase: an entity if one is there, else the name in it."""
    s0, s1 = toks[f.s0].start, toks[f.s1 - 1].end
    m = entity_in(ents, s0, s1) if ents else None
    if m is not None and m.type != "PER":
        per = apposed_person(text, ents, s1)
        if per is not None:  # "Russlands UN-Botschafter in Genf, Alexej Borodawkin, …"
            return (per.text, per.canonical or per.text, per.start, per.end), True
        if m.type == "LOC" and any(is_role(t.text, lexicon()) for t in toks[f.s0:f.s1]
                                   if t.start >= m.end):  # the role, not "Russlands"
            return (text[m.start:s1], text[m.start:s1], m.start, s1), False
    if m is not None:
        return (m.text, m.canonical or m.text, m.start, m.end), m.type == "PER"
    back = role_antecedent(toks, f.s0, f.s1, lexicon()) if m is None else None
    if back is not None:  # "Der Minister" -> "Jan Roth" named after "Minister" before
        c0, c1 = toks[back[0]].start, toks[back[1] - 1].end
        per = entity_in(ents, c0, c1) if ents else None
        if per is not None:
            return (per.text, per.canonical or per.text, per.start, per.end), True
        return (text[c0:c1], text[c0:c1], c0, c1), True
    n0, n1, person = name_in(toks, f.s0, f.s1, lexicon())
    c0, c1 = toks[n0].start, toks[n1 - 1].end
    return (text[c0:c1], text[c0:c1], c0, c1), person
