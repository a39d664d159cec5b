"""Deterministic synthetic corpora for benchmarks, built from real sentences.

Sentences come from the labeled dev corpora in ../shared and the bundled demo corpus; they are
recombined into invented events (new people, places, dates) with wire copies and site
boilerplate, so the pipeline sees realistic text at any size. Nothing here is shipped data:
the corpus is rebuilt from those sources on each run (seeded, so identical every time).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

from storyline.eval.runner import SHARED
from storyline.model import Article
from storyline.stages import clean

REPO = Path(__file__).resolve().parents[3]
_SENT = re.compile(r"(?<=[.!?“\"])\s+(?=[A-ZÄÖÜ„\"])")
_SYL = ["ber", "lin", "dor", "wal", "ten", "mar", "ken", "sel", "hau", "sen", "ro", "da",
        "tra", "vi", "no", "ka", "stein", "feld", "burg", "au", "el", "mi", "ra", "to"]
_FIRST = ["Anna", "Jonas", "Petra", "Karim", "Sofia", "Lukas", "Mira", "Olga", "Tomasz", "Ines",
          "Viktor", "Leila", "Martin", "Greta", "Samuel", "Yusuf", "Elena", "Henrik"]
_ROLES = {"de": ["Innenminister", "Bürgermeisterin", "Sprecher", "Außenministerin",
                 "Polizeichef", "Gewerkschaftschefin"],
          "en": ["interior minister", "mayor", "spokesman", "foreign minister", "police chief",
                 "union leader"]}
_TAILS = [
    "Meistgelesene Artikel\n{t1}\n{t2}\n{t3}",
    "Zum Thema:\n{t1}\n{t2}",
    "Mehr zu diesem Thema\n{t1}\nKommentare",
    "Teilen\nTwittern\nDrucken\nTags: {t1}",
    "Read more\n{t1}\n{t2}",
]
_WEEKDAYS = {"de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"],
             "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]}


def sentence_pools() -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {"de": [], "en": []}
    sources = [SHARED / "corpus" / "dev" / "corpus.jsonl", SHARED / "corpus" / "dev-bi" /
               "corpus.jsonl"]
    for src in sources:
        for line in src.read_text("utf-8").splitlines():
            rec = json.loads(line)
            text = clean.run(Article(source="bench", raw_text=rec["text"])).text
            lang = "en" if re.search(r"\b(the|and|of)\b", text[:400]) and \
                not re.search(r"\b(und|der|die)\b", text[:400]) else "de"
            for para in text.split("\n\n"):
                pools[lang] += [s for s in _SENT.split(para) if 40 <= len(s) <= 400]
    return {k: sorted(set(v)) for k, v in pools.items()}


@dataclass
class Event:
    lang: str
    day: date
    place: str
    people: list[tuple[str, str]]
    pool: list[str]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYL) for _ in range(parts)).capitalize()


def _event(rng: random.Random, pools: dict[str, list[str]], start: date) -> Event:
    lang = "en" if rng.random() < 0.2 else "de"
    people = [(f"{rng.choice(_FIRST)} {_name(rng, 3)}", rng.choice(_ROLES[lang]))
              for _ in range(2)]
    return Event(lang, start + timedelta(days=rng.randrange(730)), _name(rng, 2) +
                 rng.choice(["burg", "stadt", "hausen", "ville", "ton"]), people,
                 rng.sample(pools[lang], 40))


def _article(rng: random.Random, ev: Event, pools: dict[str, list[str]], n: int) -> dict:
    (p1, r1), (p2, r2) = ev.people
    wd = rng.choice(_WEEKDAYS[ev.lang])
    if ev.lang == "de":
        lead = (f"{ev.place} (dpa) - {r1} {p1} hat am {wd} in {ev.place} Stellung bezogen. "
                f"„Wir werden alles tun, was nötig ist“, sagte {p1.split()[-1]}. {r2} {p2} "
                f"erklärte, man habe mindestens {rng.randrange(3, 900)} Menschen befragt.")
    else:
        lead = (f"{ev.place} (Reuters) - {p1}, the {r1}, spoke in {ev.place} on {wd}. "
                f"\"We will do what is needed,\" {p1.split()[-1]} said. {p2}, the {r2}, said "
                f"at least {rng.randrange(3, 900)} people had been interviewed.")
    body = [lead]
    while sum(map(len, body)) < rng.randrange(2600, 3400):
        pool = ev.pool if rng.random() < 0.8 else pools[ev.lang]
        body.append(rng.choice(pool))
    published = ev.day + timedelta(days=rng.randrange(4))
    outlet = f"{_name(rng, 2).lower()}-{rng.choice(['zeitung', 'kurier', 'post', 'news'])}"
    text = "\n\n".join(" ".join(body[i:i + 3]) for i in range(0, len(body), 3))
    if rng.random() < 0.5:
        text += "\n\n" + rng.choice(_TAILS).format(
            t1=rng.choice(pools["de"])[:80], t2=rng.choice(pools["de"])[:80],
            t3=rng.choice(pools["de"])[:80])
    if ev.lang == "de" and rng.random() < 0.7:
        text = f" date {published:%Y-%m} {text}"
    return {"id": f"synth-{n:07d}", "outlet": outlet, "title": f"{ev.place}: {p1}",
            "url": f"https://{outlet}.example/{published:%Y/%m/%d}/story-{n}", "text": text}


def _copy(rng: random.Random, original: dict, n: int) -> dict:
    """A wire copy: another outlet, one paragraph dropped, different tail."""
    paras = original["text"].split("\n\n")
    if len(paras) > 3:
        paras.pop(rng.randrange(1, len(paras) - 1))
    outlet = f"{_name(rng, 2).lower()}-anzeiger"
    url = re.sub(r"https://[^/]+", f"https://{outlet}.example", original["url"]) + f"-{n}"
    return {**original, "id": f"synth-{n:07d}", "outlet": outlet, "url": url,
            "text": "\n\n".join(paras) + "\n\nAuch interessant\nWetter: Sonne satt"}


def generate(n: int, seed: int = 20161001) -> Iterator[dict]:
    rng = random.Random(seed)
    pools = sentence_pools()
    events: list[Event] = []
    recent: list[tuple[Event, dict]] = []
    for i in range(n):
        if not events or rng.random() < 0.12:
            events.append(_event(rng, pools, date(2016, 1, 1)))
            events = events[-200:]
        if recent and rng.random() < 0.15:
            rec = _copy(rng, rng.choice(recent[-50:])[1], i)
        else:
            ev = rng.choice(events[-20:])
            rec = _article(rng, ev, pools, i)
            recent.append((ev, rec))
            recent = recent[-100:]
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
