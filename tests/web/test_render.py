"""Server-side rendering helpers: highlighting with overlapping facts, sparklines, links."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

from storyline.web import chart, render, shape


class Balance(HTMLParser):
    """Collects the text and checks that every tag closes in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> Balance:
    p = Balance()
    p.feed(markup)
    p.close()
    assert not p.stack
    return p


TEXT = 'Lawrow sagte: "<script>alert(1)</script> in Aleppo am 3. Oktober" & mehr.'


def test_overlapping_facts_keep_markup_balanced_and_text_intact() -> None:
    quote: dict[str, Any] = {"start": 14, "end": 63}
    facts: dict[str, list[dict[str, Any]]] = {
        "quotes": [quote],
        "entities": [{"start": 0, "end": 6, "type": "PER", "canonical": "Sergej Lawrow",
                      "entity_key": "PER:lavrov"},
                     {"start": 46, "end": 52, "type": "LOC", "entity_key": "LOC:aleppo"},
                     {"start": 40, "end": 49, "type": "MISC", "entity_key": "MISC:x"}],
        "dates": [{"start": 53, "end": 65, "value": "2016-10-03"}],  # crosses the quote's end
        "figures": [{"start": 500, "end": 600, "value": 1}],  # out of range: dropped
    }
    out = render.highlight(TEXT, facts)
    p = parse(str(out))
    assert "".join(p.text) == TEXT
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert set(p.tags) <= {"mark", "a"}
    assert 'href="/entities/PER%3Alavrov"' in out
    assert 'id="c53"' in out and "hl-date" in out and "hl-quote" in out
    # the segment where the quote and the date overlap carries both classes
    assert any("hl-date" in c and "hl-quote" in c for c in out.split('class="')[1:])


def test_highlight_without_facts_is_plain_escaped_text() -> None:
    out = str(render.highlight(TEXT, {}))
    assert "<" not in out.replace("&lt;", "") and html.unescape(out) == TEXT


def test_target_gets_anchor() -> None:
    out = render.highlight(TEXT, {"target": [{"start": 7, "end": 12}]})
    assert 'id="target"' in out and "hl-target" in out


def test_safe_url_allows_only_http() -> None:
    assert render.safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.org",
                "/relative", "", None, "http://[broken"):
        assert render.safe_url(bad) is None


def test_snippet_escapes_then_marks() -> None:
    plain, marks = shape.clean_snippet("a <b> \x02Lawrow\x03 c\x07 \x02<i>\x03")
    assert plain == "a <b> Lawrow c <i>" and marks == [(6, 12), (15, 18)]
    out = render.snippet(plain, marks)
    assert str(out) == "a &lt;b&gt; <mark>Lawrow</mark> c <mark>&lt;i&gt;</mark>"
    assert str(render.snippet("x < y", [(9, 12), (3, 1)])) == "x &lt; y"  # bad marks: none


def test_bins_by_day_for_short_day_dated_stories() -> None:
    b = chart.bins([{"date": "2016-09-28", "n": 2}, {"date": "2016-10-01", "n": 1},
                     {"date": "2016-09", "n": 1}, {"date": None, "n": 3}])
    assert b["unit"] == "day"
    assert [x["date"] for x in b["bins"]] == ["2016-09-28", "2016-09-29", "2016-09-30",
                                              "2016-10-01"]
    assert [x["n"] for x in b["bins"]] == [2, 0, 0, 1]
    assert b["undated"] == 3 and b["not_shown"] == 1


def test_bins_by_month_for_month_dated_or_long_stories() -> None:
    b = chart.bins([{"date": "2016-08", "n": 1}, {"date": "2016-11-02", "n": 2}])
    assert b["unit"] == "month"
    assert [(x["date"], x["n"]) for x in b["bins"]] == [
        ("2016-08", 1), ("2016-09", 0), ("2016-10", 0), ("2016-11", 2)]
    long = chart.bins([{"date": "2016-01-05", "n": 1}, {"date": "2016-09-01", "n": 1}])
    assert long["unit"] == "month" and len(long["bins"]) == 9


def test_sparkline_columns_scale_to_the_peak() -> None:
    sp = render.sparkline(chart.bins([{"date": "2016-08", "n": 1}, {"date": "2016-10", "n": 4}]))
    heights = [b["h"] for b in sp["bars"]]
    assert len(heights) == 3 and heights[1] == 1.0 and sp["bars"][1]["zero"]
    assert heights[2] == max(heights) and heights[0] < heights[2]
    assert all(isinstance(v, float | int) for b in sp["bars"] for v in (b["x"], b["y"], b["w"]))
    assert all(b["x"] >= 0 and b["x"] + b["w"] <= sp["width"] for b in sp["bars"])
    assert str(sp["rects"]).count("<rect") == 3 and str(sp["rects"]).count("spark-zero") == 1
    parse(f"<svg>{sp['rects']}</svg>")
    assert render.sparkline({"unit": "day", "bins": []})["bars"] == []


def test_conflict_values_fold_repeated_reports() -> None:
    """Hundreds of outlets repeating two numbers show as two lines with their counts."""
    def report(outlet: str, value: float, qualifier: str | None = None) -> dict[str, Any]:
        return {"outlet": outlet, "value": value, "qualifier": qualifier,
                "article_id": outlet, "text": f"{value} Tote", "start": 0, "end": 4}

    values = ([report(f"a{i}.de", 40) for i in range(300)] + [report("b.de", 45)]
              + [report(f"c{i}.de", 45, "mindestens") for i in range(5)]
              + [report(f"d{i}.de", float(50 + i)) for i in range(10)])
    shown = render.conflict_values(values, n=3)
    assert [(g["qualifier"], g["value"], g["n_outlets"]) for g in shown] == [
        (None, 40, 300), ("mindestens", 45, 5), (None, 45, 1)]  # the most reported, by value
    assert shown[0]["outlets"] == ["a0.de", "a1.de", "a2.de"]
    assert shown[0]["example"]["article_id"] == "a0.de"
