"""Name variants and roles: one canonical name per entity within an article, one key across.

Within an article, "Lawrow" after "Sergej Lawrow" becomes "Sergej Lawrow", and a role word
in front of a person ("US-Außenminister John Kerry") is split off into `Mention.role`.
Across articles and languages, `canonical_key` folds German and English romanisations of the
same Russian/Arabic name (Lawrow/Lavrov, Schoigu/Shoigu) onto one key. No library does this
folding (unidecode only strips accents), hence the hand-written rules below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from storyline.model import Mention

# Role words: titles and functions written before a name. A hyphenated prefix
# ("US-", "UN-", "Ex-") and compounds ending in these ("Außenminister") count too.
ROLE_HEADS = (
    "präsident", "präsidentin", "minister", "ministerin", "kanzler", "kanzlerin", "chef",
    "chefin", "sprecher", "sprecherin", "botschafter", "botschafterin", "gesandte",
    "gesandter", "general", "generalsekretär", "generalsekretärin", "vorsitzende",
    "vorsitzender", "führer", "könig", "königin", "prinz", "papst", "premier", "premierminister",
    "diktator", "machthaber", "senator", "senatorin", "abgeordnete", "abgeordneter",
    "bürgermeister", "bürgermeisterin", "kommandeur", "oberbefehlshaber", "trainer", "direktor",
    "direktorin", "leiter", "leiterin", "sekretär", "sekretärin", "vermittler", "beauftragte",
    "beauftragter", "gouverneur", "president", "minister", "secretary", "senator", "chancellor",
    "spokesman", "spokeswoman", "envoy", "ambassador", "governor", "mayor", "king", "queen",
    "pope", "prime", "general", "foreign",
)
TITLES = frozenset({
    "herr", "frau", "dr.", "prof.", "mr.", "mrs.", "ms.", "sir", "lord", "scheich", "sheikh",
})
PARTICLES = frozenset({"al", "el", "ad", "as", "von", "van", "der", "de", "bin", "ibn", "abu"})
_HEADS = "|".join(sorted(set(ROLE_HEADS), key=len, reverse=True))
_ROLE_RE = re.compile(rf"^(?:[\w.]+-)?\w*(?:{_HEADS})$", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([\w.-]+)\s+$")


def is_role(word: str) -> bool:
    return bool(word) and word[0].isupper() and bool(_ROLE_RE.match(word))


def split_role(text: str, mention: Mention) -> Mention:
    """Take role words off the front of a PER span, or pick up the one right before it."""
    role: list[str] = []
    start = mention.start
    while True:
        m = re.match(r"[\w.-]+\s+", text[start:mention.end])
        if not m or not (is_role(m.group().strip()) or m.group().strip().lower() in TITLES):
            break
        role.append(m.group().strip())
        start += m.end()
    if not role:
        before = _WORD_BEFORE.search(text, max(0, mention.start - 60), mention.start)
        if before and is_role(before.group(1)):
            role.append(before.group(1))
    mention.start = start
    mention.text = text[start:mention.end]
    roles = [r for r in role if r.lower() not in TITLES]
    mention.role = " ".join(roles) or mention.role
    return mention


def strip_genitive(name: str, known: set[str]) -> str:
    """'Putins' -> 'Putin' when 'Putin' is known; "Obama's" -> 'Obama'."""
    for suffix in ("’s", "'s", "s", "'", "’"):
        if name.endswith(suffix) and name[: -len(suffix)] in known:
            return name[: -len(suffix)]
    return name


def resolve(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Split roles off persons, then give short/genitive variants their full name."""
    out = [split_role(text, m) if m.type == "PER" else m for m in mentions]
    out = [m for m in out if m.text.strip()]
    full: dict[str, str] = {}  # last token -> longest person name seen with it
    for m in out:
        if m.type == "PER" and " " in m.text:
            last = m.text.split()[-1]
            if len(m.text) > len(full.get(last, "")):
                full[last] = m.text
    by_type: dict[str, set[str]] = {}
    for m in out:
        by_type.setdefault(m.type, set()).add(m.text)
    for m in out:
        base = strip_genitive(m.text, by_type.get(m.type, set()) | set(full))
        if m.type == "PER":
            words = base.split()
            base = full.get(words[-1], base) if words else base
        m.canonical = base
    return out


def fold(name: str) -> str:
    """Spelling skeleton shared by German and English romanisations."""
    s = unicodedata.normalize("NFKD", name.lower().replace("ß", "ss"))
    s = "".join(c for c in s if c.isalnum() or c == " ")
    for a, b in (("ae", "a"), ("oe", "o"), ("ue", "u"), ("tsch", "ch"), ("sch", "sh"),
                 ("zh", "sh"), ("kh", "ch"), ("ck", "k"),
                 ("ph", "f"), ("dh", "d"), ("th", "t"), ("w", "v"), ("j", "i"), ("y", "i"),
                 ("z", "s"), ("q", "k"), ("x", "ks"), ("ou", "u"), ("off", "ov"), ("ie", "i")):
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)  # Assad/Asad, Gaddafi/Gadafi, Dmitrij/Dmitri
    return s.strip()


def canonical_key(name: str, type: str) -> str:
    """Grouping key across articles: persons by folded final name, others by folded name."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    if type == "PER":
        words = [w for w in words if w.lower() not in PARTICLES and w.lower() not in TITLES]
        words = words[-1:]
    return f"{type}:{fold(' '.join(words))}"


def english_fill(text: str, spans: Sequence[tuple[int, int]],
                 mentions: list[Mention]) -> list[Mention]:
    """English placeholder until rules land: the CRF output as is."""
    del text, spans
    return mentions
