import numpy as np

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


def _deepest_state(ident: language._Identifier) -> int:
    """Breadth-first over the automaton: the length of the longest n-gram prefix it tracks."""
    nextmove, rowbase, _ = ident.walk()
    depth = np.full(len(rowbase), -1)
    depth[0], frontier, level = 0, np.array([0]), 0
    while len(frontier):
        level += 1
        reached = np.unique(nextmove[rowbase[frontier][:, None] + np.arange(256)])
        frontier = reached[depth[reached] < 0]
        depth[frontier] = level
    return int(depth.max())


def test_the_automaton_forgets_all_but_the_last_depth_bytes() -> None:
    ident = language._identifier(("de", "en"))
    assert isinstance(ident, language._Identifier)
    assert _deepest_state(ident) <= language.DEPTH


def test_language_and_score_are_py3langids_own() -> None:
    import json

    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier, visit_counts

    ref = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    ref.set_languages(["de", "en", "fr"])
    fast = language._identifier(("de", "en", "fr"))
    texts = [json.loads(line)["text"] for line in (SHARED / "corpus/dev-bi/corpus.jsonl").open()]
    samples = [t[i:i + 1200] for t in texts for i in range(0, len(t), 700)]
    samples += ["ok", "Ähm", "12345", "„Ja“", "日本語のテキスト", "\x00\x01 abc", "A" * 7]
    for sample in samples:
        assert fast.classify(sample) == ref.classify(sample), sample
        data = ref._encode(sample)
        if len(data) >= language.DEPTH:
            expected = visit_counts(ref.tk_nextmove, ref._rowbase, ref.tk_output, data) or {}
            assert list(fast.visits(data).items()) == list(expected.items())
