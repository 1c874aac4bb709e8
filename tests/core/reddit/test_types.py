"""Shared Reddit value helpers: one definition each of "same photos" and "a sub name"."""

from __future__ import annotations

import hashlib

import pytest

from core.reddit.types import MediaItem, PostRequest, media_content_key, valid_subreddit_name


def test_content_key_from_kept_digests_equals_the_hash_of_the_posted_bytes():
    photos = [b"first photo", b"second photo"]
    posted = PostRequest("pics", "gallery", "Two",
                         images=tuple(MediaItem(p, f"{n}.jpg") for n, p in enumerate(photos)))
    kept = [hashlib.sha256(p).hexdigest() for p in photos]  # what the chat flow keeps
    assert media_content_key(bytes.fromhex(h) for h in kept) == posted.content_hash()


@pytest.mark.parametrize("name", ["pics", "ab", "Old_School_Cool", "x" * 21])
def test_valid_subreddit_names(name):
    assert valid_subreddit_name(name)


@pytest.mark.parametrize("name", ["a", "x" * 22, "r/pics", "no-dash", "sp ace", ""])
def test_invalid_subreddit_names(name):
    assert not valid_subreddit_name(name)
