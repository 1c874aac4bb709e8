"""Errors Reddit reports inside HTTP 200 bodies become specific, friendly codes."""

from __future__ import annotations

import pytest

from core.reddit.types import PostRequest


async def _submit_failing(core, account, fake_reddit, error):
    fake_reddit.add_sub("talk")
    fake_reddit.fail_next_submit.append(error)
    async with core.db.session() as session:
        account = await session.merge(account)
        return await core.reddit.submit(
            session, account, PostRequest("talk", "text", "Hello", body="x"))


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (["SUBREDDIT_NOEXIST", "that subreddit doesn't exist", "sr"], "reddit_sub_not_found"),
        (["SUBREDDIT_NOTALLOWED", "you aren't allowed to post there.", "sr"],
         "reddit_sub_not_allowed"),
        (["NO_SELFS", "that subreddit doesn't allow text posts", "sr"], "reddit_no_text_posts"),
        (["ALREADY_SUB", "that link has already been submitted", "url"],
         "reddit_already_posted"),
        (["SUBMIT_VALIDATION_FLAIR_REQUIRED", "Your post must contain post flair.", "flair"],
         "reddit_flair_required"),
        (["SUBMIT_VALIDATION_TITLE_REQUIREMENT", "must contain [F]", "title"],
         "reddit_title_rules"),
        (["SPAM", "that looks like spam", ""], "reddit_spam"),
        (["SOMETHING_NEW", "a brand new problem", ""], "reddit_rejected"),
    ],
)
async def test_submit_error_in_200_body_maps_to_a_specific_code(
    core, account, fake_reddit, error, code
):
    result = await _submit_failing(core, account, fake_reddit, error)
    assert not result.ok
    assert result.error == code
    assert result.params["reddit_error"] == error[0]


async def test_rate_limit_reports_how_long_to_wait(core, account, fake_reddit):
    error = ["RATELIMIT", "Looks like you've been doing that a lot. Take a break for 9 "
             "minutes before trying again.", "ratelimit"]
    result = await _submit_failing(core, account, fake_reddit, error)
    assert result.error == "reddit_ratelimit"
    assert result.params["minutes"] == 9


async def test_unknown_error_keeps_reddits_own_words(core, account, fake_reddit):
    from core.texts.reddit import error as render

    result = await _submit_failing(core, account, fake_reddit, ["NEW", "Be nicer", ""])
    assert render(result.error, result.params) == "Reddit refused the post to r/talk: Be nicer"


async def test_every_mapped_code_has_words_in_the_catalogue():
    from core.reddit.errors import API_ERRORS
    from core.texts.reddit import ERRORS, ISSUES

    assert set(API_ERRORS.values()) <= set(ERRORS)
    assert "reddit_unavailable" in ERRORS
    assert "reddit_account_revoked" in ERRORS
    assert {"flair_required", "title_needs_tag", "images_only", "cooldown"} <= set(ISSUES)
