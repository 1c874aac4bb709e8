"""Help centre articles: the shared list and search in `core.help` (the chat's /help
reads the same articles)."""

from __future__ import annotations

from core.help import ARTICLES, Article, search

__all__ = ["ARTICLES", "Article", "search"]
