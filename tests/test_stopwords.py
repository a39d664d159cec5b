import subprocess
import sys

from spacy.lang.de.stop_words import STOP_WORDS as DE
from spacy.lang.en.stop_words import STOP_WORDS as EN

from storyline.stopwords import stop_words


def test_lists_are_spacys() -> None:
    assert stop_words("de") == DE and "und" in stop_words("de")
    assert stop_words("en") == EN and "the" in stop_words("en")


def test_unknown_or_odd_language_gives_empty_list() -> None:
    assert stop_words("xx") == frozenset()
    assert stop_words("../de") == frozenset()
    assert stop_words("") == frozenset()


def test_reading_a_list_does_not_import_spacy() -> None:
    """The point of the module: the ingest warm-up and CLI start-up skip spaCy's import."""
    code = ("import sys; from storyline.stopwords import stop_words; "
            "assert len(stop_words('de')) > 500; print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
