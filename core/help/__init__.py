"""Help articles as data, and a small ranked search over them.

One list serves every front door: the chat's /help (and its ℹ️ buttons), the web help
centre and the Telegram inline query all read `ARTICLES` and rank with `search`.
"""

from core.help.articles import ARTICLES, CATEGORIES, Article, by_slug
from core.help.search import Hit, rank, search

__all__ = ["ARTICLES", "CATEGORIES", "Article", "Hit", "by_slug", "rank", "search"]
