"""Similar suggestions: jieba segmentation and TF-IDF cosine over the same term's suggestions.

Each suggestion keeps its tokens (`Suggestion.tokens`, written by the services), so a search only
segments the new text. With a few thousand items per term this runs in milliseconds in Python.
"""

import logging
import math
import re
from collections import Counter

import jieba

jieba.setLogLevel(logging.WARNING)

# Words every suggestion uses; they say nothing about what it is about.
_STOPWORD_TEXT = """
关于 建议 加强 进一步 问题 我县 我们 希望 尽快 有关 部门 相关 工作 进行 目前 存在 一些 以及
以便 由于 因为 所以 但是 而且 可以 需要 应该 没有 一个 这个 那个 他们 群众 反映 解决 提出
情况 方面 一是 二是 三是 同时 其中 通过 对于 作为 不断 切实 积极 及时 有效 县 的 了 和 与
及 在 是 对 为 等 将 把 被 从 到 也 都 就 而 并 或 让 使
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def tokenize(text: str) -> list[str]:
    """Meaningful words: no punctuation, no stopwords, no single characters other than digits."""
    words = []
    for word in jieba.lcut(text or ""):
        word = word.strip().lower()
        if len(word) < 2 or word in STOPWORDS or not _WORD.search(word):
            continue
        words.append(word)
    return words


def tokens_for(title: str, body: str) -> str:
    # The title weighs more: it says what the suggestion is about in a dozen characters.
    return " ".join(tokenize(title) * 2 + tokenize(body))


def _vector(tokens: list[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(tokens)
    total = sum(counts.values()) or 1
    return {w: (c / total) * idf.get(w, 0.0) for w, c in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def rank(query_tokens: list[str], corpus: list[tuple[int, str]], *, limit: int = 5, threshold: float = 0.12):
    """[(pk, score)] of the corpus documents most like the query, best first, above `threshold`."""
    if not query_tokens or not corpus:
        return []
    documents = [(pk, text.split()) for pk, text in corpus]
    n = len(documents) + 1
    df = Counter()
    for _pk, words in documents:
        df.update(set(words))
    df.update(set(query_tokens))
    idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in df.items()}
    query = _vector(query_tokens, idf)
    scored = [(pk, _cosine(query, _vector(words, idf))) for pk, words in documents]
    scored = [(pk, round(score, 3)) for pk, score in scored if score >= threshold]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]
