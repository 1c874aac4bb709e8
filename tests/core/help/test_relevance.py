"""Help search relevance on a fixed query set: questions as creators phrase them (not
the articles' titles), each with the article that must come first. The set is the
yardstick for changes to the ranking: a tweak that fixes one query must not lose
another."""

from __future__ import annotations

import pytest

from core.help import rank

EXPECTED_TOP = [
    ("title too long", "title-limit"),
    ("max characters reddit title", "title-limit"),
    ("how do i post later", "schedule"),
    ("someone stole my pics", "protect"),
    ("lost my phone", "sign-out"),
    ("how much does it cost", "plans"),
    ("which protection level is best", "protect-levels"),
    ("can i try it without an account", "demo"),
    ("change my time zone", "settings"),
    ("move a scheduled post", "queue"),
    ("my post needs a flair", "flair"),
    ("words to never use in captions", "voice"),
    ("add my onlyfans link", "promo"),
    ("out of captions for today", "limits"),
    ("use telegram and discord together", "link-apps"),
    ("what do you store about me", "privacy"),
    ("turn on nsfw", "nsfw"),
    ("sign in on the website", "sign-in"),
    ("stop this", "cancel"),
    ("when should i post", "best-time"),
]


@pytest.mark.parametrize(("query", "slug"), EXPECTED_TOP)
def test_the_expected_article_comes_first(query, slug):
    hits = rank(query)
    assert hits, f"nothing found for {query!r}"
    assert hits[0].article.slug == slug, [h.article.slug for h in hits[:3]]


def test_the_query_set_covers_most_of_the_articles():
    """A yardstick that only asks about a few articles would not notice the rest rot."""
    from core.help import ARTICLES

    assert len({slug for _, slug in EXPECTED_TOP}) >= len(ARTICLES) * 2 // 3
