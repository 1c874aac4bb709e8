"""Fitting: every option satisfies the platform's hard limits and the creator's voice."""

from __future__ import annotations

import pytest

from core.captions.fitting import (
    INSTAGRAM_MAX,
    INSTAGRAM_MAX_TAGS,
    REDDIT_TITLE_MAX,
    X_MAX,
    TitleRules,
    avoids,
    fit_option,
    fit_title,
    full_text,
    needs_detail,
    remove_words,
    title_fits,
)
from core.captions.subreddits import normalise_subreddit, rules_for
from core.captions.textutil import count_emoji
from core.captions.types import DraftOption, Platform, Voice
from core.subreddits import bundled

LONG = "Golden light on the rooftop and a little mischief in the air " * 12
NO_EMOJI_LIMIT = Voice(emoji_budget=10)


# -- Reddit titles -------------------------------------------------------------------
def test_reddit_title_is_cut_to_300_characters_at_a_word_boundary():
    title = fit_title(LONG, TitleRules())

    assert len(title) <= REDDIT_TITLE_MAX
    assert title.endswith("…")
    assert title[:-1] == title[:-1].rstrip()
    assert LONG.startswith(title[:-1])


def test_subreddit_max_below_reddits_own_is_honoured():
    assert len(fit_title(LONG, TitleRules(max_len=40))) <= 40


def test_subreddit_max_above_reddits_own_is_capped_at_300():
    assert len(fit_title(LONG, TitleRules(max_len=1000))) <= REDDIT_TITLE_MAX


def test_empty_title_still_gives_a_title_of_at_least_one_character():
    assert len(fit_title("   ", TitleRules())) >= 1


def test_short_title_is_padded_to_the_subreddit_minimum():
    title = fit_title("Hi", TitleRules(min_len=10))

    assert len(title) >= 10
    assert title.startswith("Hi")


def test_title_already_fitting_is_left_alone():
    assert fit_title("Sunset on the roof", TitleRules()) == "Sunset on the roof"


def test_missing_bracket_tag_is_added_in_front():
    title = fit_title("Sunset on the roof", TitleRules(required_tags=("[F]",)))

    assert title == "[F] Sunset on the roof"


def test_missing_paren_tag_is_added_at_the_end():
    title = fit_title("Sunset on the roof", TitleRules(required_tags=("(f)",)))

    assert title == "Sunset on the roof (f)"


def test_any_one_present_tag_satisfies_the_rule_and_is_not_doubled():
    title = fit_title("Sunset on the roof [OC]", TitleRules(required_tags=("[self]", "[OC]")))

    assert title.count("[OC]") == 1
    assert "[self]" not in title


def test_tag_is_kept_when_the_title_is_shortened():
    title = fit_title(LONG, TitleRules(max_len=50, required_tags=("[OC]",)))

    assert len(title) <= 50
    assert title.startswith("[OC] ")


def test_tag_is_kept_when_the_title_is_padded():
    title = fit_title("Hi", TitleRules(min_len=20, required_tags=("(f)",)))

    assert len(title) >= 20
    assert title.endswith(" (f)")


def test_subreddit_banned_words_are_removed_from_the_title():
    title = fit_title("Selling my new sunset pics", TitleRules(banned_words=("selling",)))

    assert "selling" not in title.lower()
    assert "sunset" in title


@pytest.mark.parametrize("name", ["gonewild", "r/GoneWild", "/r/gonewild/"])
def test_known_subreddit_requires_a_gender_tag(name):
    title = fit_title("Sunset on the roof", rules_for(name))

    assert title.startswith("[F] ")


def test_known_subreddit_own_max_is_applied():
    rules = rules_for("amihot")

    assert rules.max_len == 200
    assert len(fit_title(LONG, rules)) <= 200


def test_known_subreddit_own_min_is_applied():
    rules = rules_for("earthporn")

    title = fit_title("Hi", rules)
    assert len(title) >= rules.min_len
    assert "[OC]" in title


def test_unknown_subreddit_gets_reddits_plain_limits():
    assert rules_for("somewhere_nobody_knows") == TitleRules()
    assert rules_for(None) == TitleRules()


def test_subreddit_names_are_normalised():
    assert normalise_subreddit(" /r/Selfie/ ") == "selfie"
    assert normalise_subreddit("") is None


def test_reddit_option_gets_subreddit_rules_and_no_hashtags():
    option = DraftOption("Sunset on the roof", None, ("sunset",))

    fitted = fit_option(option, Platform.REDDIT, Voice(), rules_for("onoff"))

    assert fitted.title == "[OC] Sunset on the roof"
    assert fitted.hashtags == ()


# -- X ---------------------------------------------------------------------------------
def test_x_total_with_hashtags_fits_280_characters():
    option = DraftOption(LONG[:250], "a body line that is quite long " * 3,
                         tuple(f"tag{i}" for i in range(20)))

    fitted = fit_option(option, Platform.X, NO_EMOJI_LIMIT)

    assert len(full_text(fitted).replace("\n\n", " ")) <= X_MAX
    assert len(full_text(fitted)) <= X_MAX + 2


def test_x_drops_hashtags_before_cutting_the_text():
    option = DraftOption("X" * 270, None, ("sunset", "goldenhour"))

    fitted = fit_option(option, Platform.X, NO_EMOJI_LIMIT)

    assert fitted.title == "X" * 270
    assert fitted.hashtags == ("sunset",)  # 270 + " #sunset" = 278; "#goldenhour" won't fit


def test_x_short_caption_keeps_its_hashtags_and_folds_the_body_in():
    option = DraftOption("Sunset on the roof", "Come say hi", ("sunset", "#rooftop"))

    fitted = fit_option(option, Platform.X, NO_EMOJI_LIMIT)

    assert fitted.title == "Sunset on the roof Come say hi"
    assert fitted.body is None
    assert fitted.hashtags == ("sunset", "rooftop")


def test_x_very_long_title_is_truncated_to_280():
    fitted = fit_option(DraftOption(LONG), Platform.X, NO_EMOJI_LIMIT)

    assert len(fitted.title) <= X_MAX
    assert fitted.title.endswith("…")


# -- Instagram -----------------------------------------------------------------------
def test_instagram_keeps_at_most_30_hashtags():
    option = DraftOption("Sunset", None, tuple(f"tag{i}" for i in range(45)))

    fitted = fit_option(option, Platform.INSTAGRAM, NO_EMOJI_LIMIT)

    assert len(fitted.hashtags) == INSTAGRAM_MAX_TAGS
    assert fitted.hashtags == tuple(f"tag{i}" for i in range(30))


def test_instagram_duplicate_hashtags_are_dropped():
    option = DraftOption("Sunset", None, ("sunset", "#sunset", "roof"))

    assert fit_option(option, Platform.INSTAGRAM, Voice()).hashtags == ("sunset", "roof")


def test_instagram_whole_caption_fits_2200_characters():
    option = DraftOption("Sunset on the roof", "word " * 600, tuple(f"t{i}" for i in range(30)))

    fitted = fit_option(option, Platform.INSTAGRAM, NO_EMOJI_LIMIT)

    assert len(full_text(fitted)) <= INSTAGRAM_MAX
    assert fitted.title == "Sunset on the roof"


def test_instagram_hashtags_go_before_the_body_is_cut():
    body = "Word " + "word " * 419  # ~2,100 characters: fits alone, not with 30 tags
    option = DraftOption("Sunset", body.strip(), tuple(f"tag{i}" for i in range(30)))

    fitted = fit_option(option, Platform.INSTAGRAM, NO_EMOJI_LIMIT)

    assert len(full_text(fitted)) <= INSTAGRAM_MAX
    assert fitted.body == body.strip()
    assert len(fitted.hashtags) < 30


# -- the creator's voice ---------------------------------------------------------------
@pytest.mark.parametrize("platform", list(Platform))
def test_banned_words_are_removed_everywhere(platform):
    voice = Voice(banned_words=("naughty",), emoji_budget=5)
    option = DraftOption("A Naughty sunset", "So naughty tonight", ("naughty", "sunset"))

    fitted = fit_option(option, platform, voice)

    assert "naughty" not in full_text(fitted).lower()
    assert "sunset" in fitted.title.lower()


def test_banned_words_match_whole_words_and_simple_plurals_only():
    voice = Voice(banned_words=("cat",))
    option = DraftOption("Cats and a catalogue with my cat")

    fitted = fit_option(option, Platform.INSTAGRAM, voice)

    assert "catalogue" in fitted.title
    assert "cat " not in fitted.title.lower()
    assert "cats" not in fitted.title.lower()


@pytest.mark.parametrize("budget", [0, 1, 2])
def test_emoji_budget_is_applied_across_title_and_body(budget):
    option = DraftOption("Sunset 🌅🔥", "Come say hi 😘💋", ("sunset",))

    fitted = fit_option(option, Platform.INSTAGRAM, Voice(emoji_budget=budget))

    assert count_emoji(full_text(fitted)) == budget


def test_emoji_budget_keeps_the_first_emoji():
    fitted = fit_option(DraftOption("Sunset 🌅 and 🔥"), Platform.X, Voice(emoji_budget=1))

    assert "🌅" in fitted.title
    assert "🔥" not in fitted.title


def test_option_using_an_avoided_phrase_is_flagged():
    option = DraftOption("Rate me from one to ten", None, ("rateme",))

    assert not avoids(option, ("rate me",))
    assert not avoids(option, ("#RateMe",))
    assert avoids(option, ("good morning",))
    assert avoids(option, ("  ",))


def test_banned_words_never_cut_the_creators_own_link():
    text = remove_words("More onlyfans fun at https://onlyfans.com/alice today", ("onlyfans",))
    assert text == "More fun at https://onlyfans.com/alice today"


# -- the shared subreddit rules -------------------------------------------------------
def test_banned_string_inside_a_word_or_link_is_removed_as_reddit_matches_it():
    rules = TitleRules(banned_words=("onlyfans",))

    title = fit_title("Sunset set, more on myonlyfans https://onlyfans.com/me", rules)

    assert "onlyfans" not in title.lower()
    assert "Sunset set" in title


def test_question_pattern_gets_a_closing_question_mark():
    title = fit_title("Sunset on the roof!", TitleRules(patterns=(r"\?\s*$",)))

    assert title == "Sunset on the roof?"


def test_pattern_fact_is_borrowed_from_the_creators_description():
    rules = TitleRules(patterns=(r"\b(1[89]\d0s|\d{4})\b",)).with_facts("me at prom, 1987")

    assert fit_title("Big hair, bigger dreams", rules) == "Big hair, bigger dreams (1987)"


def test_borrowed_fact_survives_shortening():
    rules = TitleRules(max_len=60, patterns=(r"\[\d+x\d+\]",)).with_facts("lake [4032x3024]")

    title = fit_title(LONG, rules)

    assert len(title) <= 60
    assert title.endswith(" [4032x3024]")


def test_a_pattern_nothing_can_meet_needs_a_detail_from_the_creator():
    rules = TitleRules(patterns=(r"\d{2}\s*[MFmf]",))

    assert needs_detail(rules)
    assert not needs_detail(rules.with_facts("first post, 24F"))
    assert not needs_detail(TitleRules())


def test_fitted_title_is_judged_by_the_same_rules_it_was_fitted_to():
    rules = rules_for("itookapicture")

    title = fit_title("golden hour over the bay", rules)

    assert title.startswith("ITAP ")
    assert title_fits(title, rules)
    assert not title_fits("golden hour over the bay ITAP", rules)


@pytest.mark.parametrize("name", sorted(bundled()))
def test_caption_rules_are_the_bundled_subreddit_rules(name):
    assert rules_for(name) == TitleRules.from_subreddit(bundled()[name])
