"""Search for the HTML book that finds Korean word forms: Hangul split into syllable bigrams.

Korean attaches particles and endings to words (학습, 학습을, 학습한, 학습하면), so a search
index of whole space-separated words finds a stem only where it stands alone. This language
indexes every word as usual *and* the two-syllable pieces of its Hangul part (학습을 -> 학습,
습을), and splits a query the same way into pieces only (학습 -> 학습; 파인튜닝 -> 파인, 인튜,
튜닝), all of which a page must contain. Identifiers are also indexed by their parts
(pooler_output -> pooler, output), so `pooler` finds pages that only say `pooler_output`.
Character n-grams were chosen over a morphological analyser (kiwipiepy): no extra dependency
in the book build, and the query side must split in the browser's JavaScript too.

Bigrams alone would also find 학습을 on a page that has 학습 and 습을 only apart (학습 ... 복습을):
docs/_static/book.js keeps a result only where the page's text holds each Hangul word of three
or more syllables of the query as typed.
"""

from __future__ import annotations

import re

from sphinx.search import SearchLanguage

_HANGUL = "\uac00-\ud7a3"
_TOKEN = re.compile(r"\w+")
_RUN = re.compile(f"[{_HANGUL}]+|[^{_HANGUL}_]+")


def pieces(token: str) -> list[str]:
    """The search pieces of one token: Hangul runs as syllable bigrams (a lone syllable as
    itself), the other runs (Latin letters, digits) split at underscores."""
    found = []
    for run in _RUN.findall(token.lower()):
        if re.match(f"[{_HANGUL}]", run):
            found += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            found.append(run)
    return found


class SearchKorean(SearchLanguage):
    lang = "ko"
    language_name = "Korean"
    js_splitter_code = r"""
function splitQuery(query) {
  const pieces = [];
  for (const token of query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || []) {
    for (const run of token.match(/[\uac00-\ud7a3]+|[^\uac00-\ud7a3_]+/g) || []) {
      if (/[\uac00-\ud7a3]/.test(run)) {
        if (run.length === 1) pieces.push(run);
        else for (let i = 0; i + 1 < run.length; i++) pieces.push(run.slice(i, i + 2));
      } else pieces.push(run);
    }
  }
  return pieces;
}
"""

    def split(self, input: str) -> list[str]:
        words = []
        for token in _TOKEN.findall(input):
            words.append(token.lower())
            words += [piece for piece in pieces(token) if piece != token.lower()]
        return words

    def stem(self, word: str) -> str:
        return word.lower()

    def word_filter(self, word: str) -> bool:
        return bool(word) and not word.isdigit()
