"""The removal notice reads as a person would write it: what, why, likely rule, next."""

from core.texts.outcomes import NEXT, removed_notice
from core.texts.schedule import notice_text


def test_a_moderator_removal_names_the_rules_and_the_next_step():
    text = notice_text("post_removed", {
        "subreddit": "pics", "title": "Sunday mood", "reason": "moderator", "after": "1h",
        "rules": ["No selfies", "No text"], "link": "https://reddit.example/r/pics/1"})
    assert text.splitlines() == [
        "🚫 Your post “Sunday mood” was removed from r/pics within its first hour. "
        "The subreddit's moderators took it down.",
        "Likely reasons, from r/pics's rules: No selfies; No text.",
        "https://reddit.example/r/pics/1",
        NEXT]


def test_a_spam_filtered_post_points_to_health():
    text = removed_notice({"subreddit": "pics", "title": "T", "reason": "spam_filter"})
    assert "shadowban" in text
    assert "/health" in text


def test_the_daily_check_names_the_shadowbanned_account():
    text = notice_text("account_health", {"account": "alice", "verdict": "shadowbanned"})
    assert text.startswith("Heads-up from my daily account check:")
    assert "u/alice looks shadowbanned" in text
