"""Rule verdicts: OK, fixable (fixed automatically or by a choice), blocked, warnings."""

from __future__ import annotations

from datetime import UTC, datetime

from core.reddit.check import History, check
from core.reddit.fixes import auto_fix, with_flair, with_tag
from core.reddit.requirements import Flair, SubredditRules
from core.reddit.subreddits import load_starter
from core.reddit.types import MediaItem, PostRequest

IMG = (MediaItem(b"x", "a.jpg"),)


def image(title: str = "Sunny day", **kw) -> PostRequest:
    return PostRequest("sub", "image", title, images=IMG, **kw)


def verdict(request: PostRequest, rules: SubredditRules, *, nsfw: bool = True, history=None):
    return check(request, rules, nsfw_allowed=nsfw, history=history)


def codes(v) -> list[str]:
    return [i.code for i in v.issues]


def test_plain_post_to_permissive_subreddit_is_ok():
    assert verdict(image(), SubredditRules("sub")).status == "ok"


def test_missing_flair_with_choices_asks_to_pick_one():
    rules = SubredditRules("sub", flair_required=True,
                           flairs=(Flair("a", "Pic"), Flair("b", "Set")))
    v = verdict(image(), rules)
    assert v.status == "fixable"
    assert v.issues[0].fix == "choose_flair"
    assert v.issues[0].options == ("a", "b")
    assert verdict(with_flair(image(), "b", rules), rules).status == "ok"


def test_only_flair_is_picked_automatically():
    rules = SubredditRules("sub", flair_required=True, flairs=(Flair("a", "Pic"),))
    fixed, applied = auto_fix(image(), rules, verdict(image(), rules))
    assert fixed.flair_id == "a"
    assert applied == ["flair_required"]


def test_required_flair_without_choices_blocks():
    rules = SubredditRules("sub", flair_required=True)
    assert codes(verdict(image(), rules)) == ["flair_unavailable"]
    assert verdict(image(), rules).status == "blocked"


def test_single_required_tag_is_added_to_the_title():
    rules = SubredditRules("sub", title_required_strings=("[F]",))
    fixed, applied = auto_fix(image(), rules, verdict(image(), rules))
    assert fixed.title == "[F] Sunny day"
    assert applied == ["title_needs_tag"]
    assert verdict(fixed, rules).status == "ok"


def test_several_allowed_tags_ask_which_one():
    rules = SubredditRules("sub", title_required_strings=("[F]", "[M]"))
    v = verdict(image(), rules)
    assert v.issues[0].fix == "choose_tag"
    assert v.issues[0].options == ("[F]", "[M]")
    assert with_tag(image(), "[M]", rules).title == "[M] Sunny day"


def test_adult_subreddit_marks_post_nsfw():
    rules = SubredditRules("sub", over18=True)
    fixed, applied = auto_fix(image(), rules, verdict(image(), rules))
    assert fixed.nsfw
    assert applied == ["nsfw_required"]


def test_adult_subreddit_blocks_users_without_adult_opt_in():
    v = verdict(image(nsfw=True), SubredditRules("sub", over18=True), nsfw=False)
    assert v.status == "blocked"
    assert "adult_optin_needed" in codes(v)


def test_long_title_is_shortened_at_a_word_boundary_keeping_the_tag():
    rules = SubredditRules("sub", title_max=30, title_required_strings=("[F]",))
    request = image("A really long title about a lovely afternoon at the beach")
    fixed, _ = auto_fix(request, rules, verdict(request, rules))
    assert len(fixed.title) <= 30
    assert fixed.title.startswith("[F] ")
    assert verdict(fixed, rules).status == "ok"


def test_banned_words_are_removed_from_the_title():
    rules = SubredditRules("sub", title_blacklisted_strings=("upvote",))
    request = image("Please upvote my cat")
    fixed, _ = auto_fix(request, rules, verdict(request, rules))
    assert fixed.title == "Please my cat"


def test_too_short_title_asks_for_a_new_one():
    v = verdict(image("Hi"), SubredditRules("sub", title_min=5))
    assert (v.status, v.issues[0].fix) == ("fixable", "new_title")


def test_title_pattern_mismatch_asks_for_a_new_title():
    rules = SubredditRules("sub", title_regexes=(r"\?$",), guidelines="Ask a question.")
    assert codes(verdict(image("Statement"), rules)) == ["title_pattern"]
    assert verdict(image("Question?"), rules).status == "ok"


def test_text_post_to_images_only_subreddit_asks_for_a_photo():
    v = verdict(PostRequest("sub", "text", "Hello", body="x"),
                SubredditRules("sub", submission_type="link"))
    assert (v.status, v.issues[0].code, v.issues[0].fix) == ("fixable", "images_only",
                                                           "need_image")


def test_image_to_text_only_subreddit_is_blocked():
    assert codes(verdict(image(), SubredditRules("sub", submission_type="self"))) == [
        "text_only"]


def test_gallery_outside_size_limits_is_blocked():
    rules = SubredditRules("sub", gallery_max=3)
    gallery = PostRequest("sub", "gallery", "Set", images=IMG * 4)
    assert codes(verdict(gallery, rules)) == ["gallery_size"]


def test_link_domains_follow_allow_and_deny_lists():
    link = PostRequest("sub", "link", "Look", url="https://www.bad.com/x")
    assert codes(verdict(link, SubredditRules("sub", domain_blacklist=("bad.com",)))) == [
        "domain_banned"]
    allowed = SubredditRules("sub", domain_whitelist=("imgur.com",))
    assert codes(verdict(link, allowed)) == ["domain_not_allowed"]


def test_body_rules_drop_forbidden_body_and_ask_for_required_one():
    rules = SubredditRules("sub", body_policy="notAllowed")
    request = image(body="extra")
    fixed, _ = auto_fix(request, rules, verdict(request, rules))
    assert fixed.body is None
    assert codes(verdict(image(), SubredditRules("sub", body_policy="required"))) == [
        "body_required"]


def test_private_or_banned_subreddits_block():
    assert verdict(image(), SubredditRules("sub", subreddit_type="private")).status == "blocked"
    assert verdict(image(), SubredditRules("sub", user_is_banned=True)).status == "blocked"


def test_recent_posts_warn_about_cooldown_and_duplicates():
    until = datetime(2026, 1, 2, tzinfo=UTC)
    history = History(cooldown_ends_at=until, duplicate_content_in="pics",
                      duplicate_title_in="aww")
    v = verdict(image(), SubredditRules("sub"), history=history)
    assert v.status == "warn"
    assert codes(v) == ["cooldown", "duplicate_image", "duplicate_title"]


def test_reposted_link_within_repost_age_is_blocked():
    v = verdict(PostRequest("sub", "link", "x", url="https://a.b"), SubredditRules("sub"),
                history=History(reposted_link=True))
    assert v.status == "blocked"
    assert codes(v) == ["repost"]


def test_unknown_subreddit_rules_only_warn():
    assert verdict(image(), SubredditRules.unknown("sub")).status == "warn"


def test_starter_set_has_sfw_and_nsfw_subreddits_with_requirements():
    starter = load_starter()
    assert any(r.over18 for r in starter.values())
    assert any(not r.over18 for r in starter.values())
    gonewild = starter["gonewild"]
    assert "[F]" in gonewild.title_required_strings
    assert verdict(image(), gonewild).status == "fixable"


def test_itookapicture_titles_must_start_with_itap():
    itap = load_starter()["itookapicture"]
    assert "title_pattern" in codes(verdict(image("Golden hour over the bay ITAP"), itap))
    assert verdict(image("ITAP of golden hour over the bay"), itap).status == "ok"


def test_the_gonewild_network_bans_selling_words_in_titles():
    starter = load_starter()
    for name in ("gonewild", "gonewild30plus", "petitegonewild", "gonewildcurvy", "bigboobsgw"):
        v = verdict(image("[F] new set, see my OnlyFans", nsfw=True), starter[name])
        assert "title_banned_words" in codes(v), name


def test_a_banned_string_inside_a_word_is_still_banned():
    rules = SubredditRules("sub", title_blacklisted_strings=("kik",))
    assert codes(verdict(image("add me on kiki"), rules)) == ["title_banned_words"]
