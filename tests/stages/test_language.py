from storyline.model import Article
from storyline.stages import language
from tests.conftest import SHARED, seed


def test_seeds_are_german() -> None:
    for prefix in ("000", "002"):
        a = Article(source="x", raw_text="", text=seed(prefix).read_text("utf-8"))
        assert language.run(a).lang == "de"


def test_english_articles_of_dev_bi() -> None:
    import json

    rows = [json.loads(line) for line in (SHARED / "corpus/dev-bi/labels.jsonl").open()]
    texts = {json.loads(line)["id"]: json.loads(line)["text"]
             for line in (SHARED / "corpus/dev-bi/corpus.jsonl").open()}
    wrong = [r["id"] for r in rows
             if language.detect(texts[r["id"]], ("de", "en", "fr"))[0] != r["lang"]]
    assert len(wrong) <= 2, wrong


def test_too_short_is_undetermined() -> None:
    assert language.detect("ok", ("de", "en")) == ("und", 0.0)
