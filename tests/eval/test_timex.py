"""WikiWarsDE scorer on a hand-made two-format document, and on the real gold when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.eval import timex as ev
from tests.conftest import SHARED_REASON

SGM = """<DOC>
<DOCID>t1</DOCID>
<DATETIME> 2016-08-05T10:00:00 </DATETIME>
<TEXT>
Am 28. Juli 2016 begann die Offensive. Später, im März, kämpften sie drei Tage.
</TEXT>
</DOC>
"""


def _timex(n: int, vals: list[str], start: int, end: int, text: str) -> str:
    attrs = "".join(f' VAL="{v}"' for v in vals)
    return (f'<timex2 ID="t1-T{n}"{attrs}>\n  <timex2_mention ID="t1T{n}">\n    <extent>\n'
            f'      <charseq START="{start}" END="{end}">{text}</charseq>\n'
            "    </extent>\n  </timex2_mention>\n</timex2>\n")


# Offsets are UTF-8 bytes of the tag-free file, END inclusive (counted by hand: "Später" is
# 7 bytes, so its END is 66 + 7 - 1 = 72; "März" 5 bytes).
GOLD = [
    (1, ["2016-08-05T10:00:00"], 5, 23, "2016-08-05T10:00:00"),  # the DCT: not scored
    (2, ["2016-07-28"], 27, 42, "Am 28. Juli 2016"),  # system finds "28. Juli 2016": lenient
    (3, ["FUTURE_REF"], 66, 72, "Später"),  # the tagger does not tag "Später": a miss
    (4, ["2017-03"], 78, 82, "März"),  # same span, wrong year (system says 2016-03)
    (5, ["2016-07-28", "P3D"], 99, 107, "drei Tage"),  # anchor VAL first, value last
]


def _write(root: Path, gold: list[tuple[int, list[str], int, int, str]]) -> Path:
    (root / "in").mkdir(parents=True)
    (root / "key").mkdir()
    (root / "in" / "t1.sgm").write_text(SGM, "utf-8")
    body = "".join(_timex(*g) for g in gold)
    (root / "key" / "t1.key.apf.xml").write_text(
        f'<?xml version="1.0"?>\n<source_file>\n<document DOCID="t1">\n{body}</document>\n'
        "</source_file>\n", "utf-8")
    return root


def test_scores_by_hand(tmp_path: Path) -> None:
    r = ev.score(_write(tmp_path / "WikiWarsDE_test", GOLD))
    # extended: system 3 spans (28. Juli 2016, März, drei Tage), gold 4 (DCT not scored)
    assert (r["strict"]["hits"], r["strict"]["system"], r["strict"]["gold"]) == (2, 3, 4)
    assert r["strict"]["precision"] == pytest.approx(2 / 3)
    assert r["strict"]["recall"] == pytest.approx(2 / 4)
    assert r["lenient"]["precision"] == pytest.approx(1.0)
    assert r["lenient"]["recall"] == pytest.approx(3 / 4)
    assert r["value_accuracy"] == pytest.approx(2 / 3)
    assert r["strict+val"]["hits"] == 1  # only "drei Tage" = P3D
    assert r["strict+val"]["f1"] == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))
    assert r["lenient+val"]["hits"] == 2
    # contract: gold keeps 2016-07-28 and 2017-03; the tagger's default output has 2 dates
    c = r["contract"]
    assert (c["strict"]["system"], c["strict"]["gold"], c["strict"]["hits"]) == (2, 2, 1)
    assert c["lenient"]["f1"] == pytest.approx(1.0)
    assert c["strict+val"]["hits"] == 0
    assert c["lenient+val"]["recall"] == pytest.approx(0.5)
    assert r["offset_mismatches"] == 0
    assert "strict+val" in ev.report(r)


def test_wrong_offsets_are_counted_not_scored(tmp_path: Path) -> None:
    bad = [*GOLD[:3], (4, ["2017-03"], 77, 81, "März")]  # counted in chars, not bytes
    r = ev.score(_write(tmp_path / "w", bad))
    assert r["offset_mismatches"] == 1
    assert r["strict"]["gold"] == 2


WIKIWARS = Path(__file__).resolve().parents[2] / ".." / "shared" / "gold" / "wikiwarsde-timex"


@pytest.mark.skipif(not WIKIWARS.is_dir(), reason=SHARED_REASON)
def test_real_gold_offsets_line_up() -> None:
    """Every APF span matches the text under the byte-offset reading; 2,217 are in <TEXT>."""
    root = ev._root(WIKIWARS)
    total = 0
    for sgm in sorted((root / "in").glob("*.sgm")):
        _, dct, _, gold, bad = ev.load_doc(sgm, root / "key" / (sgm.stem + ".key.apf.xml"))
        assert bad == 0 and dct
        total += len(gold)
    assert total == 2217


def test_inline_key_supplies_values_the_apf_lost(tmp_path: Path) -> None:
    """APF kept only the anchor for "drei Tage"; the inline key has val="P3D"."""
    lossy = [*GOLD[:4], (5, ["2016-07-28"], 99, 107, "drei Tage")]
    root = _write(tmp_path / "k", lossy)
    dct = "2016-08-05T10:00:00"
    inline = (SGM.replace(f"<DATETIME> {dct}", f'<DATETIME> <TIMEX2 val="{dct}">{dct}</TIMEX2>')
              .replace("Am 28. Juli 2016", '<TIMEX2 val="2016-07-28">Am 28. Juli 2016</TIMEX2>')
              .replace("Später", '<TIMEX2 val="FUTURE_REF">Später</TIMEX2>')
              .replace("März", '<TIMEX2 val="2017-03">März</TIMEX2>')
              .replace("drei Tage", '<TIMEX2 val="P3D" anchor_val="2016-07-28">drei Tage</TIMEX2>'))
    (root / "keyinline").mkdir()
    (root / "keyinline" / "t1.key.xml").write_text(inline, "utf-8")
    assert ev.score(root, values="apf")["strict+val"]["hits"] == 0
    assert ev.score(root)["strict+val"]["hits"] == 1
