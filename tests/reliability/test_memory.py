"""Issue 17.7: a worker's memory grew from 548 MB to 1.33 GB over 400 real web pages. The
cause: simplemma loads one dictionary per language met and keeps it (Polish 392 MB, Russian
133, Spanish 112); [language] lemmatize bounds the set (Polish off by default)."""

from __future__ import annotations

import subprocess
import sys

from storyline.corpus.features import lemmatized, term_key

PROBE = """
import simplemma
from storyline.corpus.features import lemmas
def rss():
    return int([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])
before = rss()
lemmas('Rząd w Warszawie ogłosił w poniedziałek nowe przepisy dotyczące szpitali.', 'pl')
print((rss() - before) // 1024)
"""


def test_polish_words_are_not_lemmatised_by_default() -> None:
    assert not lemmatized("pl") and lemmatized("de") and lemmatized("en")
    assert term_key("szpitali", "pl") == "szpitali"  # the word form, folded


def test_a_polish_article_does_not_load_a_400_mb_dictionary() -> None:
    grown = int(subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                               check=True, timeout=300).stdout.strip())
    assert grown < 100  # MB; with the Polish dictionary about 390
