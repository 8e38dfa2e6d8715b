"""Tokenize: a sentence into a spaCy ``Doc``, the words spaCy's jieba tokenizer gives.

spaCy's ``ChineseTokenizer`` (segmenter ``jieba``) calls ``jieba.cut(text)`` (accurate
mode, HMM on), aligns the words with the text (``spacy.util.get_words_and_spaces``) and
builds a ``Doc`` from them. ``make_doc`` here gives the same ``Doc``, word for word,
with the same spaces, in about half the time:

- ``cut`` is jieba's ``Tokenizer.cut`` for that mode, on jieba's own dictionary
  (``jieba.dt``, user words included) and its HMM (``jieba.finalseg``), with the
  dictionary graph (``get_DAG``) and the best route (``calc``) fused into one pass:
  each candidate word is sliced and looked up once instead of three times. The
  route's scores are the same floating-point sums in the same order, and ties go the
  same way (to the longer word), so the words are jieba's;
- jieba's words always spell the text exactly, so the alignment is done with offsets
  instead of searching the text for each word, keeping spaCy's rules: a single
  space after a word is that word's trailing space, any other whitespace is a token;
- each token's character offset, which the event rules ask of every token, is kept
  in ``doc.user_data["tokens"]`` as ``(idx, text)`` pairs; ``tokens`` gives those pairs
  without the ``Doc``, and ``tokens_before`` only those up to a given end: jieba cuts
  each run of its block pattern on its own, so the text past the run the end falls in
  need not be cut (extraction asks no token after the last head word of a sentence).

``tests/test_tokenize.py`` checks the words and the spaces against jieba and spaCy.
"""

from __future__ import annotations

from collections.abc import Iterator
from math import log
from typing import TYPE_CHECKING

from ._startup import import_jieba, import_spacy

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

jieba = import_jieba()
from jieba import finalseg  # noqa: E402  (after jieba, imported without pkg_resources)

# jieba's own block patterns (jieba/__init__.py): runs of Han characters, letters,
# digits and +#&._%- are segmented; whitespace and other characters are not.
_RE_HAN = jieba.re_han_default
_RE_SKIP = jieba.re_skip_default


def _cut_block(block: str, freq: dict[str, int], logtotal: float) -> list[str]:
    """``jieba.dt.__cut_DAG(block)`` (accurate mode, HMM on) for one Han block."""
    n = len(block)
    get = freq.get
    score = [0.0] * (n + 1)  # route[idx][0]
    to = [0] * (n + 1)  # route[idx][1]: where the best word from idx ends
    for idx in range(n - 1, -1, -1):
        # get_DAG: the words of the dictionary starting at idx, grown while the
        # fragment is a prefix of some word; calc: the best of them.
        best_x = -1
        best = 0.0
        i = idx
        frag = block[idx]
        while True:
            f = get(frag)
            if f is None:
                break
            if f:
                s = log(f) - logtotal + score[i + 1]
                if best_x < 0 or s >= best:  # a tie goes to the longer word, as in max()
                    best, best_x = s, i
            i += 1
            if i >= n:
                break
            frag = block[idx : i + 1]
        if best_x < 0:  # no word: the character alone, frequency 1 (log 1 = 0.0)
            best, best_x = 0.0 - logtotal + score[idx + 1], idx
        score[idx] = best
        to[idx] = best_x
    words: list[str] = []
    x = 0
    buf = ""
    while x < n:
        y = to[x] + 1
        if y - x == 1:
            buf += block[x]
        else:
            if buf:
                _flush(buf, get, words)
                buf = ""
            words.append(block[x:y])
        x = y
    if buf:
        _flush(buf, get, words)
    return words


def _flush(buf: str, get, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Single characters in a row: jieba's HMM finds the words among them."""
    if len(buf) == 1:
        words.append(buf)
    elif not get(buf):
        words.extend(finalseg.cut(buf))
    else:
        words.extend(buf)


def _blocks(text: str) -> Iterator[list[str]]:
    """The words of ``cut(text)``, block by block: each run of jieba's block pattern is
    cut on its own (its words depend on nothing outside it), so the words of the
    blocks read so far are those of the whole text's cut, whatever follows."""
    dt = jieba.dt
    dt.check_initialized()
    freq = dt.FREQ
    logtotal = log(dt.total)
    for blk in _RE_HAN.split(text):
        if not blk:
            continue
        if _RE_HAN.match(blk):
            yield _cut_block(blk, freq, logtotal)
        else:
            words: list[str] = []
            for x in _RE_SKIP.split(blk):
                if _RE_SKIP.match(x):
                    words.append(x)
                else:
                    words.extend(x)
            yield words


def cut(text: str) -> list[str]:
    """``list(jieba.cut(text))`` (accurate mode, HMM on), without empty words."""
    words: list[str] = []
    for block in _blocks(text):
        words.extend(block)
    return words


def _align(text: str, end: int | None = None) -> tuple[list[tuple[int, str]], list[bool]]:
    """The tokens spaCy makes of ``cut(text)`` as ``(idx, text)`` pairs, and whether each
    has a trailing space. With ``end``, only a prefix of them, one that holds every
    token starting before ``end`` (and no trailing-space flags to rely on): the text is
    cut block by block and no further than that."""
    tokens: list[tuple[int, str]] = []
    spaces: list[bool] = []
    n = len(text)
    pos = 0  # where spaCy's alignment stands: after the last token and its space
    at = 0  # where the next jieba word starts
    for block in _blocks(text):
        for word in block:
            start = at
            at += len(word)
            if word.isspace():
                continue
            if start > pos:  # whitespace other than one space after a word is a token
                tokens.append((pos, text[pos:start]))
                spaces.append(False)
            if end is not None and start >= end:
                return tokens, spaces  # every token before ``end`` is in
            tokens.append((start, word))
            pos = at
            if pos < n and text[pos] == " ":
                spaces.append(True)
                pos += 1
            else:
                spaces.append(False)
    if pos < n:
        tokens.append((pos, text[pos:]))
        spaces.append(False)
    return tokens, spaces


def tokens(text: str) -> list[tuple[int, str]]:
    """``[(t.idx, t.text) for t in make_doc(vocab, text)]``, without building the Doc."""
    return _align(text)[0]


def tokens_before(text: str, end: int) -> list[tuple[int, str]]:
    """A prefix of ``tokens(text)`` that holds every token starting before ``end``: the
    text past the jieba block in which ``end`` falls is not cut (an event rule that needs
    the tokens up to a head word's end asks for no more)."""
    return _align(text, end)[0]


def make_doc(vocab: Vocab, text: str) -> Doc:
    """The ``Doc`` spaCy's jieba tokenizer makes of ``text``, tokens' offsets kept."""
    import_spacy()  # (loaded already by whoever made ``vocab``)
    from spacy.tokens import Doc

    tokens, spaces = _align(text)
    doc = Doc(vocab, words=[word for _, word in tokens], spaces=spaces)
    doc.user_data["tokens"] = tokens
    return doc
