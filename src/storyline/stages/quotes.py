"""Quotes stage: who said what, as direct and reported (indirect) speech with speakers.

Rule-based on purpose: it must run in a few milliseconds per article, explain itself (`cue`),
and work before/without the entities stage. `extract` is the whole stage on plain text and
returns `Statement`s that keep the local source phrase (e.g. the pronoun "Er" as written) next
to the resolved speaker; `run` turns them into `Quote`s on the article.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.model import Article, Mention, Quote
from storyline.settings import Settings
from storyline.stages import quotes_direct as direct
from storyline.stages import quotes_indirect as indirect
from storyline.stages.quotes_lex import EN_PRONOUNS, PRONOUNS, SUBJUNCTIVE, Lexicon, lexicon
from storyline.stages.quotes_speaker import (
    collect_np,
    entity_in,
    last_person,
    name_in,
    role_name_before,
    skip_adverbials,
)
from storyline.stages.quotes_text import Found, Tok, sentences, tokenize

SETS = ("quotes",)
MIN_BARE_WORDS = 5  # a quotation this long is a statement even without a cue next to it


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
    found = _direct(text, toks, sents) + _indirect(toks, sents, lang)
    found = _resolve_overlaps(found)
    found = _continuations(toks, sents, found)
    return _speakers(text, toks, found, entities)


def _tok_span(starts: list[int], ends: list[int], c0: int, c1: int) -> tuple[int, int]:
    return bisect_left(starts, c0), bisect_right(ends, c1)


def _sentence_of(sents: list[tuple[int, int]], firsts: list[int], k: int) -> tuple[int, int]:
    return sents[max(0, bisect_right(firsts, k) - 1)]


def _direct(text: str, toks: list[Tok], sents: list[tuple[int, int]]) -> list[Found]:
    lex = lexicon()
    starts = [t.start for t in toks]
    ends = [t.end for t in toks]
    firsts = [a for a, _ in sents]
    out: list[Found] = []
    for c0, c1 in direct.quote_spans(text):
        q0, q1 = _tok_span(starts, ends, c0, c1)
        if q1 <= q0:
            continue
        sa, _ = _sentence_of(sents, firsts, q0)
        _, sb = _sentence_of(sents, firsts, q1 - 1)
        f = _attribute_direct(toks, q0, q1, sa, sb, lex)
        words = direct.word_count(text, c0, c1)
        whole = q0 <= sa + 1 and (q1 >= sb - 1 or toks[q1 - 2].text in ".!?")
        prev = out[-1] if out else None
        if f is None and prev is not None and prev.s0 >= 0 and q0 - prev.m1 <= 8 and whole:
            f = Found(q0, q1, "direct", -1, prev.s0, prev.s1, True)  # "„A“, so X. „B“"
        if f is None and words >= MIN_BARE_WORDS:
            f = _cue_in_sentence(toks, q0, q1, sa, sb, lex)
        if f is not None and words >= 2:
            out.append(f)
    return out


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
            src = collect_np(toks, j, sb, stops=parts)
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
            src = collect_np(toks, skip_adverbials(toks, k + 1, sb), sb)
            return Found(q0, q1, "direct", k, *(src or (-1, -1)))
    return Found(q0, q1, "direct")


def _indirect(toks: list[Tok], sents: list[tuple[int, int]], lang: str) -> list[Found]:
    lex = lexicon()
    out: list[Found] = []
    for a, b in sents:
        f = indirect.english(toks, a, b, lex) if lang == "en" else indirect.german(
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
        clash = next((g for g in keep if g.m0 < f.m1 and f.m0 < g.m1), None)
        if clash is None:
            keep.append(f)
            continue
        d, r = (clash, f) if clash.kind == "direct" else (f, clash)
        if d.kind == r.kind:
            continue
        d_len, r_len = d.m1 - d.m0, r.m1 - r.m0
        same_cue = d.cue >= 0 and d.cue == r.cue
        winner = d if d_len >= 0.6 * r_len or same_cue else r
        if winner is d and d.s0 < 0 and r.s0 >= 0:
            winner = d._replace(cue=r.cue, s0=r.s0, s1=r.s1)
        keep[keep.index(clash)] = winner
    return keep


def _continuations(toks: list[Tok], sents: list[tuple[int, int]], found: list[Found]
                   ) -> list[Found]:
    """Sentences in the subjunctive right after a reported statement continue it."""
    by_first = {f.m0: f for f in found}
    out: list[Found] = []
    covered = sorted((f.m0, f.m1) for f in found)
    prev: Found | None = None
    ci = 0
    for a, b in sents:
        while ci < len(covered) and covered[ci][1] <= a:
            ci += 1
        hit = ci < len(covered) and covered[ci][0] < b
        if hit:
            prev = next((f for f in found if a <= f.m0 < b or f.m0 < a < f.m1), prev)
            continue
        if prev is not None and prev.kind == "indirect" and prev.s0 >= 0 and any(
            toks[k].low in SUBJUNCTIVE for k in range(a, b)
        ):
            if out and out[-1].carried and out[-1].m1 == a:
                out[-1] = out[-1]._replace(m1=b)
            else:
                out.append(Found(a, b, "indirect", -1, prev.s0, prev.s1, True))
            continue
        prev = None
    del by_first
    return sorted(found + out, key=lambda f: f.m0)


def _speakers(text: str, toks: list[Tok], found: list[Found], ents: Sequence[Mention]
              ) -> list[Statement]:
    out: list[Statement] = []
    last_name: _Named | None = None
    prev: _Named | None = None
    for f in found:
        c0, c1 = toks[f.m0].start, toks[f.m1 - 1].end
        q = Quote(text[c0:c1], c0, c1, f.kind, cue=toks[f.cue].text if f.cue >= 0 else None)
        st = Statement(q)
        named: _Named | None = None
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
                if person:
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
    if m is not None:
        return (m.text, m.canonical or m.text, m.start, m.end), m.type == "PER"
    n0, n1, person = name_in(toks, f.s0, f.s1, lexicon())
    c0, c1 = toks[n0].start, toks[n1 - 1].end
    return (text[c0:c1], text[c0:c1], c0, c1), person
