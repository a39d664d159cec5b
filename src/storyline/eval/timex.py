"""Score the timex stage on WikiWarsDE (TIMEX2, ACE APF stand-off gold).

Format facts checked on the data (see /work/shared/gold/wikiwarsde-timex):
- APF `charseq START/END` count UTF-8 *bytes* of the SGML file with all tags removed, and END
  is inclusive; every gold span is checked against the text and mismatches are reported.
- Some APF `timex2` elements repeat `VAL` (the inline `anchor_val` came out as a first VAL):
  the last VAL is the expression's value, which is why the APF is read with a regex and not
  an XML parser (duplicate attributes are not well-formed XML). In 53 elements the APF lost
  the value altogether and kept only the anchor (e.g. "heute" = "2011-02-16" where the
  inline key says PRESENT_REF): by default (`values="keyinline"`) values are taken from the
  `keyinline/` file when its TIMEX2 list lines up with the APF one by one (same count, same
  texts); `values="apf"` scores against the APF as it is.
- The DCT in `<DATETIME>` is system input, not something to find: it is not scored.

Levels: extraction strict (same span) and lenient (overlap), value accuracy over the
lenient matches, and extraction+value strict/lenient P/R/F1 (HeidelTime's "strict+VAL" is
the comparable number). `contract` repeats them against the gold whose values fit the export
contract, with the tagger in its default (contract) mode.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from storyline.stages import timex

_TAG = re.compile(r"<[^>]+>")
_TIMEX = re.compile(r'<timex2 ID="[^"]*"((?:\s+VAL="[^"]*")*)[^>]*>.*?</timex2>', re.S)
_CHARSEQ = re.compile(r'<charseq START="(\d+)" END="(\d+)">(.*?)</charseq>', re.S)
_DCT = re.compile(r"<DATETIME>\s*([0-9-]+)")
_INLINE = re.compile(r"<TIMEX2([^>]*)>(.*?)</TIMEX2>", re.S)

Span = tuple[int, int, str]


def _root(gold: Path) -> Path:
    if (gold / "in").is_dir():
        return gold
    found = sorted(p.parent for p in gold.glob("*/in") if p.is_dir())
    if not found:
        raise FileNotFoundError(f"no WikiWarsDE in/ folder under {gold}")
    return found[0]


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace(
        "&amp;", "&")


def _inline_values(inline: Path | None, texts: list[str]) -> list[str] | None:
    """`val` of each inline TIMEX2, if the inline key lines up with the APF entries."""
    if inline is None or not inline.is_file():
        return None
    found = [(re.search(r'\bval="([^"]*)"', m.group(1)), m.group(2))
             for m in _INLINE.finditer(inline.read_text("utf-8"))]
    if [t for _, t in found] != texts:
        return None
    return [v.group(1) if v else "" for v, _ in found]


def load_doc(sgm: Path, apf: Path, inline: Path | None = None
             ) -> tuple[str, str | None, int, list[Span], int]:
    """(text without tags, DCT, offset where <TEXT> begins, gold spans in chars, mismatches).

    With `inline` (the keyinline file) values come from it where it lines up with the APF.
    """
    raw = sgm.read_text("utf-8")
    text = _TAG.sub("", raw)
    body = _TAG.sub("", raw[:raw.index("<TEXT>")])
    dct = _DCT.search(raw)
    bytes_to_char: dict[int, int] = {}
    pos = 0
    for i, ch in enumerate(text):
        bytes_to_char[pos] = i
        pos += len(ch.encode("utf-8"))
    bytes_to_char[pos] = len(text)
    gold, bad = [], 0
    entries = [(re.findall(r'VAL="([^"]*)"', m.group(1)), _CHARSEQ.search(m.group(0)))
               for m in _TIMEX.finditer(apf.read_text("utf-8"))]
    inline_vals = _inline_values(inline, [_unescape(q.group(3)) if q else "" for _, q in entries])
    for k, (vals, seq) in enumerate(entries):
        if not seq:
            continue
        if inline_vals is not None:
            vals = [inline_vals[k]]
        start, end = bytes_to_char.get(int(seq.group(1))), bytes_to_char.get(int(seq.group(2)) + 1)
        if start is None or end is None or text[start:end] != _unescape(seq.group(3)):
            bad += 1
            continue
        if start >= len(body):
            gold.append((start, end, vals[-1] if vals else ""))
    return text, dct.group(1) if dct else None, len(body), gold, bad


def _match(sys: list[Span], gold: list[Span], strict: bool) -> list[tuple[Span, Span]]:
    pairs, used = [], set()
    for s in sys:
        for j, g in enumerate(gold):
            if j in used:
                continue
            if (s[0], s[1]) == (g[0], g[1]) if strict else (s[0] < g[1] and g[0] < s[1]):
                pairs.append((s, g))
                used.add(j)
                break
    return pairs


def _prf(hit: int, n_sys: int, n_gold: int) -> dict[str, float]:
    p = hit / n_sys if n_sys else 0.0
    r = hit / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "hits": hit, "system": n_sys, "gold": n_gold}


def _levels(sys: list[Span], gold: list[Span]) -> dict[str, Any]:
    strict, lenient = _match(sys, gold, True), _match(sys, gold, False)
    same = sum(s[2] == g[2] for s, g in lenient)
    return {
        "strict": _prf(len(strict), len(sys), len(gold)),
        "lenient": _prf(len(lenient), len(sys), len(gold)),
        "value_accuracy": same / len(lenient) if lenient else 0.0,
        "strict+val": _prf(sum(s[2] == g[2] for s, g in strict), len(sys), len(gold)),
        "lenient+val": _prf(same, len(sys), len(gold)),
    }


def _in_contract(gold: list[Span], sys: list[Span]) -> tuple[list[Span], list[Span]]:
    """Gold with contract-shaped values; system spans overlapping dropped gold are ignored."""
    keep = [g for g in gold if timex.CONTRACT.match(g[2])]
    dropped = [g for g in gold if not timex.CONTRACT.match(g[2])]
    sys = [s for s in sys if not any(s[0] < g[1] and g[0] < s[1] for g in dropped)]
    return keep, sys


def score(gold: Path, *, narrative: bool = True, values: str = "keyinline",
          **options: Any) -> dict[str, Any]:
    """Score every document of the WikiWarsDE folder `gold` (or its parent folder).

    `narrative` anchors relative expressions on the last mentioned date (history text);
    `values` is "keyinline" (inline key's val where it lines up) or "apf".
    """
    root = _root(Path(gold))
    all_sys: dict[str, list[Span]] = {"extended": [], "contract": []}
    all_gold: dict[str, list[Span]] = {"extended": [], "contract": []}
    mismatches = 0
    for k, sgm in enumerate(sorted((root / "in").glob("*.sgm"))):
        apf = root / "key" / (sgm.stem + ".key.apf.xml")
        inline = root / "keyinline" / (sgm.stem + ".key.xml") if values == "keyinline" else None
        text, dct, body, gold_spans, bad = load_doc(sgm, apf, inline)
        mismatches += bad
        shift = k * 10_000_000  # keep documents apart in the pooled lists
        published = dct[:10] if dct else None
        for mode in ("extended", "contract"):
            found = timex.tag(text[body:], published, "de", narrative=narrative,
                              extended=mode == "extended")
            sys = [(s + body + shift, e + body + shift, v) for s, e, v in found]
            gs = [(s + shift, e + shift, v) for s, e, v in gold_spans]
            if mode == "contract":
                gs, sys = _in_contract(gs, sys)
            all_sys[mode] += sys
            all_gold[mode] += gs
    result = _levels(all_sys["extended"], all_gold["extended"])
    result["contract"] = _levels(all_sys["contract"], all_gold["contract"])
    result["offset_mismatches"] = mismatches
    return result


def report(result: dict[str, Any]) -> str:
    lines = [f"{'level':<22}{'P':>7}{'R':>7}{'F1':>7}{'sys':>7}{'gold':>7}"]
    for prefix, block in (("", result), ("contract ", result["contract"])):
        for level in ("strict", "lenient", "strict+val", "lenient+val"):
            r = block[level]
            lines.append(f"{prefix + level:<22}{r['precision']:7.3f}{r['recall']:7.3f}"
                         f"{r['f1']:7.3f}{r['system']:7d}{r['gold']:7d}")
        lines.append(f"{prefix + 'value accuracy':<22}{block['value_accuracy']:7.3f}")
    lines.append(f"gold spans not matching the text: {result['offset_mismatches']}")
    return "\n".join(lines)
