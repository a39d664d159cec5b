"""Deterministic synthetic corpora for benchmarks, written by a small grammar (no real text).

The shape of a news stream: stories of one to several events days apart, sharing their
actors (invented people, places, organisations) and some vocabulary; each event reported by
several outlets in their own words (sentences drawn from `words`' vocabulary, which yields
thousands of nouns, so two independent texts share almost no 5-word runs); and about 13% wire
copies: another outlet's copy of a recent article with a paragraph dropped or cut to a
teaser, under its own site boilerplate. Seeded: the same corpus on every run and machine.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path

from storyline.bench import words as W

REPO = Path(__file__).resolve().parents[3]
VERSION = 2  # of the generator: cached bench corpora carry it in their names
COPY_SHARE = 0.13  # articles that are another outlet's copy of a recent one
NEW_EVENT = 0.12  # chance an original opens a new event (events of ~8 articles on average)
FOLLOW_UP = 0.45  # chance a new event continues a recent story instead of opening one

Noun = tuple[str, str]  # (gender or "" in English, word)

TEMPLATES = {  # short constant runs: slots make most of every sentence
    "de": [
        "{S} hat {O} {ADV} {P}.", "{S} {V} {O}.", "{ADV} {V} {S} {O}.",
        "Am {WD} {V} {S} {O}.", "Laut {ORG} hat {S} {O} {P}.",
        "{S} {V} {O}, während {S} {O} {P} hat.", "Es geht um {O} und {O}.",
        "{PERSON} will {O} {ADV} prüfen.", "„{S} {V} {O}“, sagte {LAST}.",
        "„Wir haben {O} {P}“, sagte {PERSON}.", "{NUM} {PL} sind {ADV} betroffen.",
        "{O} kostet {ADV} {NUM} Millionen Euro.", "Am {DAY}. {MONTH} hatte {S} {O} {P}.",
        "Bis {MONTH} soll {S} {O} {P} haben.", "In {PLACE} {V} {S} {O}.",
        "Gegen {O} regt sich {ADV} Widerstand.", "Seit {WD} {V} {S} {O}.",
        "Mit {D} {V} {S} {O}.", "Nach {D} {V} {S} {ADV} {O}.", "{S} will {O} {VI}.",
        "{S} soll {O} {ADV} {VI}.", "{O} sei {AP}, sagte {PERSON}.", "{S} gilt als {AP}.",
        "Man müsse {O} {VI}, hieß es.", "{S} könnte {O} {VI}, {O} aber nicht."],
    "en": [
        "{S} has {ADV} {P} {O}.", "{S} {V} {O}.", "{ADV}, {S} {V} {O}.",
        "On {WD}, {S} {P} {O}.", "According to {ORG}, {S} has {P} {O}.",
        "{S} {V} {O}, while {S} has {P} {O}.", "It is about {O} and {O}.",
        "{PERSON} wants to examine {O}.", "\"{S} {V} {O},\" {LAST} said.",
        "\"We have {P} {O},\" said {PERSON}.", "{NUM} {PL} are {ADV} affected.",
        "The bill for {O} came to {NUM} dollars.", "On {MONTH} {DAY}, {S} had {P} {O}.",
        "By {MONTH}, {S} should have {P} {O}.", "In {PLACE}, {S} {V} {O}.",
        "Opposition to {O} is {ADV} growing.", "Since {WD}, {S} {V} {O}.",
        "With {D}, {S} {V} {O}.", "After {D}, {S} {ADV} {V} {O}.", "{S} will {VI} {O}.",
        "{S} is expected to {VI} {O}.", "{O} is {AP}, {PERSON} said.", "{S} is seen as {AP}.",
        "It was necessary to {VI} {O}, officials said.", "{S} could {VI} {O}, but not {O}."],
}
LEADS = {
    "de": ["{PLACE} ({AGENCY}) - Nach {TRIG_D} in {PLACE} hat {ROLE} {PERSON} am {WD} {O} {P}.",
           "{PLACE} ({AGENCY}) - {TRIG} in {PLACE}: Am {WD} {V} {ROLE} {PERSON} {O}."],
    "en": ["{PLACE} ({AGENCY}) - After the {TRIG} in {PLACE}, {ROLE} {PERSON} {P} {O} on {WD}.",
           "{PLACE} ({AGENCY}) - The {TRIG} in {PLACE}: on {WD}, {PERSON}, the {ROLE}, {V} {O}."],
}


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(W.SYLLABLES) for _ in range(parts)).capitalize()


def _noun(rng: random.Random, lang: str) -> Noun:
    if lang == "de":
        gender, base = rng.choice(W.DE_BASES)
        return gender, rng.choice(W.DE_PREFIXES) + base.lower()
    words = W.common_nouns("en")[0]  # a less frequent word: the topic's own
    return "", words[rng.randrange(500, len(words))][1]


@dataclass
class Story:
    lang: str
    place: str
    people: list[tuple[str, str]]  # (name, role)
    org: str
    nouns: list[Noun]
    day: date  # of its latest event


@dataclass
class Event:
    story: Story
    day: date
    trigger: Noun
    nouns: list[Noun]
    agency: str


def _story(rng: random.Random) -> Story:
    lang = "en" if rng.random() < 0.2 else "de"
    roles = W.DE_ROLES if lang == "de" else W.EN_ROLES
    people = [(f"{rng.choice(W.FIRST_NAMES) if rng.random() < 0.5 else _name(rng, 2)} "
               f"{_name(rng, 3)}", rng.choice(roles))
              for _ in range(rng.randrange(2, 4))]
    orgs = W.DE_ORGS if lang == "de" else W.EN_ORGS
    return Story(lang, _name(rng, 2) + rng.choice(["burg", "stadt", "hausen", "ville", "ton"]),
                 people, f"{_name(rng, 2)}-{rng.choice(orgs)}",
                 [_noun(rng, lang) for _ in range(5)],
                 date(2016, 1, 1) + timedelta(days=rng.randrange(730)))


def _event(rng: random.Random, story: Story, follow_up: bool) -> Event:
    if follow_up:  # a new development of the story, days after its latest one
        story.day += timedelta(days=rng.randrange(4, 21))
    triggers = W.DE_TRIGGERS if story.lang == "de" else [("", t) for t in W.EN_TRIGGERS]
    return Event(story, story.day, rng.choice(triggers),
                 [_noun(rng, story.lang) for _ in range(5)],
                 rng.choice(W.AGENCIES[story.lang]))


@dataclass
class Writer:
    """Sentences about one event in its language."""

    rng: random.Random
    ev: Event
    slots: dict[str, Callable[[], str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        r, ev, de = self.rng, self.ev, self.ev.story.lang == "de"
        st = ev.story
        self.slots = {
            "S": self.subject, "O": lambda: self.np(1), "D": lambda: self.np(2),
            "P": lambda: self.verb(W.DE_PARTICIPLES if de else W.EN_PAST, W.participle),
            "V": lambda: self.verb(W.DE_PRESENT if de else W.EN_PRESENT, W.present),
            "ADV": lambda: r.choice(W.DE_ADVERBS if de else W.EN_ADVERBS),
            "WD": lambda: r.choice(W.DE_WEEKDAYS if de else W.EN_WEEKDAYS),
            "MONTH": lambda: r.choice(W.DE_MONTHS if de else W.EN_MONTHS),
            "DAY": lambda: str(r.randrange(1, 29)), "NUM": lambda: str(r.randrange(3, 900)),
            "PCT": lambda: str(r.randrange(2, 40)),
            "VI": lambda: r.choice(W.verbs_adjectives(st.lang)[0]),
            "AP": lambda: r.choice(W.verbs_adjectives(st.lang)[1]),
            "PL": lambda: r.choice(W.DE_PLURALS if de else W.EN_PLURALS),
            "PLACE": lambda: st.place, "ORG": lambda: st.org, "AGENCY": lambda: ev.agency,
            "PERSON": lambda: self.person()[0], "ROLE": lambda: self.person()[1],
            "LAST": lambda: self.person()[0].split()[-1],
            "TRIG": lambda: ev.trigger[1], "TRIG_D": lambda: self.np(2, ev.trigger, adj=False)}
        self._who = st.people[0]

    def verb(self, usual: list[str], form: Callable[[str, str], str]) -> str:
        """A news verb (a quarter of the time) or any frequent verb in that form."""
        if self.rng.random() < 0.25:
            return self.rng.choice(usual)
        lang = self.ev.story.lang
        return form(self.rng.choice(W.verbs_adjectives(lang)[0]), lang)

    def adjective(self) -> str:
        lang = self.ev.story.lang
        if self.rng.random() < 0.25:
            return self.rng.choice(W.DE_ADJ if lang == "de" else W.EN_ADJ)
        return self.rng.choice(W.verbs_adjectives(lang)[1])

    def person(self) -> tuple[str, str]:
        return self._who

    def noun(self) -> Noun:
        roll = self.rng.random()
        if roll < 0.35:
            return self.rng.choice(self.ev.nouns)
        if roll < 0.55:
            return self.rng.choice(self.ev.story.nouns)
        words, weights = W.common_nouns(self.ev.story.lang)
        return self.rng.choices(words, cum_weights=weights)[0]

    def np(self, case: int, noun: Noun | None = None, adj: bool = True) -> str:
        """A noun phrase: case 0 nominative, 1 accusative, 2 dative (German endings)."""
        gender, word = noun or self.noun()
        use_adj = adj and self.rng.random() < 0.5
        if not gender:
            return f"the {self.adjective() + ' ' if use_adj else ''}{word}"
        article = W.DE_ARTICLE[gender][case]
        ending = "e" if case == 0 or (case == 1 and gender != "m") else "en"
        return f"{article} {self.adjective() + ending + ' ' if use_adj else ''}{word}"

    def subject(self) -> str:
        roll = self.rng.random()
        if roll < 0.3:
            name, role = self.person()
            return f"{role} {name}" if self.rng.random() < 0.5 else name
        if roll < 0.45:
            return self.ev.story.org
        return self.np(0)

    def fill(self, template: str) -> str:
        def slot(m: re.Match[str]) -> str:
            if m[1] in ("PERSON", "S"):  # who speaks next: any of the story's people
                self._who = self.rng.choice(self.ev.story.people)
            return self.slots[m[1]]()
        text = re.sub(r"\{(\w+)\}", slot, template)
        return text[0].upper() + text[1:]


def _article(rng: random.Random, ev: Event, outlet: tuple[str, str], n: int) -> dict:
    lang = ev.story.lang
    w = Writer(rng, ev)
    sentences = [w.fill(rng.choice(LEADS[lang]))]
    target = rng.randrange(2600, 3400)
    while sum(map(len, sentences)) < target:
        sentences.append(w.fill(rng.choice(TEMPLATES[lang])))
    paras, at = [], 0
    while at < len(sentences):
        step = rng.randrange(2, 5)
        paras.append(" ".join(sentences[at:at + step]))
        at += step
    published = ev.day + timedelta(days=rng.choice((0, 0, 0, 1, 1, 2)))
    title = w.fill("{TRIG} in {PLACE}: {LAST} {V} {O}")
    return {"id": f"synth-{n:07d}", "outlet": outlet[0], "title": title,
            "url": f"https://{outlet[0]}.example/{published:%Y/%m/%d}/story-{n}",
            "text": "\n\n".join(paras) + _tail(rng, outlet)}


def _tail(rng: random.Random, outlet: tuple[str, str]) -> str:
    """The outlet's own boilerplate under half of its pages."""
    return "\n\n" + outlet[1] if rng.random() < 0.5 else ""


def _copy(rng: random.Random, original: dict, outlet: tuple[str, str], n: int) -> dict:
    """A wire copy: another outlet, one paragraph dropped (or a teaser of the first two),
    that outlet's boilerplate."""
    paras = original["text"].split("\n\n")
    paras = [p for p in paras if "\n" not in p]  # the original's site tail
    if rng.random() < 0.2:
        paras = paras[:2]
    elif len(paras) > 3:
        paras.pop(rng.randrange(1, len(paras) - 1))
    url = re.sub(r"https://[^/]+", f"https://{outlet[0]}.example", original["url"])
    return {**original, "id": f"synth-{n:07d}", "outlet": outlet[0],
            "url": re.sub(r"story-\d+$", f"story-{n}", url),
            "text": "\n\n".join(paras) + _tail(rng, outlet)}


def _outlets(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """(name, boilerplate) of 40 German and 15 English outlets."""
    out: dict[str, list[tuple[str, str]]] = {"de": [], "en": []}
    for lang, count, suffixes in (("de", 40, ["zeitung", "kurier", "post", "anzeiger"]),
                                  ("en", 15, ["times", "herald", "news", "tribune"])):
        for _ in range(count):
            topics = W.EN_TRIGGERS if lang == "en" else W.DE_PREFIXES
            heads = [f"{_name(rng, 2)}: {rng.choice(topics)}" for _ in range(3)]
            tail = rng.choice(W.TAILS).format(t1=heads[0], t2=heads[1], t3=heads[2])
            out[lang].append((f"{_name(rng, 2).lower()}-{rng.choice(suffixes)}", tail))
    return out


def generate(n: int, seed: int = 20161001) -> Iterator[dict]:
    rng = random.Random(seed)
    outlets = _outlets(rng)
    stories: list[Story] = []
    events: list[Event] = []
    recent: list[dict] = []
    for i in range(n):
        if recent and rng.random() < COPY_SHARE:
            original = rng.choice(recent[-50:])
            lang = "en" if original["outlet"] in {o[0] for o in outlets["en"]} else "de"
            others = [o for o in outlets[lang] if o[0] != original["outlet"]]
            yield _copy(rng, original, rng.choice(others), i)
            continue
        if not events or rng.random() < NEW_EVENT:
            follow = bool(stories) and rng.random() < FOLLOW_UP
            story = rng.choice(stories[-40:]) if follow else _story(rng)
            if not follow:
                stories.append(story)
            events = [*events[-19:], _event(rng, story, follow)]
        ev = rng.choice(events)
        rec = _article(rng, ev, rng.choice(outlets[ev.story.lang]), i)
        recent = [*recent[-99:], rec]
        yield rec


def to_html(rec: dict) -> str:
    paras = "".join(f"<p>{escape(p)}</p>" for p in rec["text"].split("\n\n"))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{escape(rec['title'])}</title></head><body><header><nav>"
            "<a href='/'>Startseite</a> <a href='/politik'>Politik</a> "
            "<a href='/sport'>Sport</a></nav></header><main><article>"
            f"<h1>{escape(rec['title'])}</h1>{paras}</article></main>"
            "<footer>Impressum · Datenschutz · Kontakt</footer></body></html>")


def write(n: int, out: Path, *, html: bool = False, seed: int = 20161001) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for rec in generate(n, seed):
            if html:
                rec = {**{k: v for k, v in rec.items() if k != "text"}, "html": to_html(rec)}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out
