"""The one bundled set of subreddit rules and the seam that hands rules to captions."""

from __future__ import annotations

import subprocess
import sys

from core.reddit.subreddits import load_starter
from core.subreddits import BundledRules, bundled, bundled_rules, subreddit_key


def test_every_bundled_subreddit_is_keyed_by_its_normalised_name():
    assert all(key == subreddit_key(rules.name) for key, rules in bundled().items())


def test_the_rules_check_starter_set_is_the_bundled_set():
    assert load_starter() == dict(bundled())


def test_names_are_found_however_they_are_written():
    assert bundled_rules("/r/GoneWild/") == bundled()["gonewild"]
    assert bundled_rules("r/EarthPorn").title_required_strings == ("[OC]",)


def test_an_unknown_subreddit_is_marked_unknown():
    rules = bundled_rules("somewhere_nobody_knows")
    assert (rules.known, rules.name) == (False, "somewhere_nobody_knows")


async def test_the_offline_source_answers_without_a_database():
    assert await BundledRules().lookup(None, "selfie") == bundled()["selfie"]


def test_the_caption_engine_and_the_rules_cache_load_without_the_reddit_client():
    code = ("import sys, core.captions.service, core.reddit.subreddits; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('asyncpraw', 'asyncprawcore')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "[]"
