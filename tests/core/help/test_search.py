"""The search's parts: words, endings, synonyms, and the ranking rules."""

from __future__ import annotations

from core.help import ARTICLES, CATEGORIES, by_slug, rank, search
from core.help.search import stem, terms


def test_endings_are_stemmed_to_one_word():
    assert {stem("posting"), stem("posts"), stem("posted"), stem("post")} == {"post"}
    assert stem("scheduled") == stem("schedule") == stem("schedules")


def test_stop_words_go_and_synonyms_fold_together():
    assert terms("How do I protect my pics?") == terms("protect photo")


def test_a_blank_query_finds_nothing_to_rank_but_the_web_shows_every_article():
    assert rank("   ") == []
    assert search("") == list(ARTICLES)


def test_articles_with_every_word_outrank_and_replace_partial_matches():
    hits = rank("lost phone")
    assert [h.article.slug for h in hits] == ["sign-out"]


def test_a_partial_match_is_still_found_when_nothing_has_every_word():
    hits = rank("price zebra")
    assert hits[0].article.slug == "plans"
    assert all(h.matched == 1 for h in hits)


def test_a_title_word_counts_more_than_the_same_word_in_a_body():
    """"flair" is in the flair article's title and only in the body of "rules"."""
    scores = {h.article.slug: h.score for h in rank("flair")}
    assert scores["flair"] > scores["rules"]


def test_nonsense_finds_nothing():
    assert rank("zzzz qqqq") == []


def test_articles_are_complete_data():
    slugs = [a.slug for a in ARTICLES]
    assert len(slugs) == len(set(slugs))
    for article in ARTICLES:
        assert article.title
        assert article.body
        assert article.category in CATEGORIES
        assert all(by_slug(r) is not None and r != article.slug for r in article.related)
