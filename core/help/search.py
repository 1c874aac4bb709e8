"""Ranked search over the help articles, in memory.

Twenty-odd articles don't need a database index: BM25 over three weighted fields
(title x3, category and keywords x2, body and example x1) ranks them in microseconds,
and behaves the same on SQLite and PostgreSQL. Words are lower-cased, stop words
dropped, endings stemmed lightly ("posting", "posts" -> "post") and synonyms folded
onto one word ("pic" -> "photo"), for the article text and the query alike. Articles
that contain every query word rank above those that contain only some: a short query
("lost phone") then finds just the article meant, and a chatty one still finds the
closest articles. tests/core/help/test_relevance.py measures it on a fixed query set.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from core.help.articles import ARTICLES, Article

WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset(str.split(
    "a an and are as at be but by can could do does doing for from get got has have how "
    "i if in into is it its me my of on or please so that the their them then there this "
    "to up us was we what where which who why will with would you your i'm im "
    "want need should help"))
# Each group folds onto its first word (after stemming).
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("photo", "picture", "pic", "pics", "image", "img", "selfie", "pictures"),
    ("protect", "shield", "watermark", "protection"),
    ("steal", "stole", "stolen", "theft", "leak", "reupload", "copy"),
    ("nsfw", "adult", "explicit", "porn", "lewd", "spicy", "18"),
    ("signin", "login", "log", "sign", "logout"),
    ("price", "cost", "pay", "payment", "plan", "plans", "subscription", "subscribe",
     "billing", "upgrade", "money", "expensive"),
    ("cancel", "stop", "abort", "quit"),
    ("delete", "remove", "erase", "forget"),
    ("subreddit", "sub", "subs", "community"),
    ("limit", "quota", "maximum", "max", "allowance", "cap"),
    ("length", "long", "characters", "chars", "character", "char"),
    ("demo", "try", "trial", "sample", "test"),
    ("tutorial", "guide", "walkthrough", "walk"),
    ("best", "optimal", "peak", "ideal"),
    ("start", "begin", "setup", "onboarding"),
    ("tone", "style", "mood", "vibe"),
    ("avoid", "banned", "ban", "block", "forbidden", "never"),
    ("caption", "captions", "headline"),
    ("support", "contact", "human", "team", "admin"),
    ("schedule", "later", "tomorrow", "timed", "delay"),
    ("phone", "mobile", "device"),
)
SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ies", "ied", "es", "ed",
            "ly", "s")
FIELD_WEIGHTS = {"title": 3.0, "tags": 2.0, "body": 1.0}
K1, B = 1.2, 0.6


def stem(word: str) -> str:
    """Strip one common ending, then a final "e" ("scheduled", "schedule" -> "schedul")."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


_FOLD = {stem(word): stem(group[0]) for group in SYNONYMS for word in group}


def terms(text: str) -> list[str]:
    """The searchable words of `text`: lower-cased, without stop words, stemmed, folded."""
    out = []
    for word in WORD.findall(text.lower().replace("'", "")):
        if word in STOP:
            continue
        stemmed = stem(word)
        out.append(_FOLD.get(stemmed, stemmed))
    return out


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    matched: int  # how many distinct query words the article contains


class _Index:
    def __init__(self, articles: tuple[Article, ...]) -> None:
        self.articles = articles
        self.fields: list[dict[str, Counter[str]]] = [
            {"title": Counter(terms(a.title)),
             "tags": Counter(terms(f"{a.category} {a.keywords}")),
             "body": Counter(terms(f"{a.body} {a.example or ''}"))}
            for a in articles]
        self.lengths = [sum(FIELD_WEIGHTS[f] * sum(c.values()) for f, c in doc.items())
                        for doc in self.fields]
        self.average = sum(self.lengths) / max(1, len(self.lengths))
        df: Counter[str] = Counter()
        for doc in self.fields:
            df.update({t for counts in doc.values() for t in counts})
        n = len(articles)
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}

    def score(self, i: int, query: list[str]) -> Hit:
        doc, total, matched = self.fields[i], 0.0, 0
        norm = K1 * (1 - B + B * self.lengths[i] / self.average)
        for term in query:
            tf = sum(FIELD_WEIGHTS[f] * counts[term] for f, counts in doc.items())
            if tf:
                matched += 1
                total += self.idf[term] * tf * (K1 + 1) / (tf + norm)
        return Hit(self.articles[i], total, matched)


_INDEX = _Index(ARTICLES)


def rank(query: str, limit: int | None = None) -> list[Hit]:
    """Articles matching `query`, best first: those with every query word ahead of
    those with some, then by BM25 score; ties keep the articles' own order."""
    query_terms = list(dict.fromkeys(terms(query)))
    if not query_terms:
        return []
    hits = [_INDEX.score(i, query_terms) for i in range(len(ARTICLES))]
    found = [h for h in hits if h.matched]
    if any(h.matched == len(query_terms) for h in found):
        found = [h for h in found if h.matched == len(query_terms)]
    found.sort(key=lambda h: -h.score)
    return found[:limit] if limit is not None else found


def search(query: str) -> list[Article]:
    """The web help centre's filter: every article for a blank query, else the ranked
    matches."""
    if not query.strip():
        return list(ARTICLES)
    return [hit.article for hit in rank(query)]
