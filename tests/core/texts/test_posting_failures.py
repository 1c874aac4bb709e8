"""Every reason a post can fail for has its own words: a code the catalogue lacks
would be told as "Reddit refused the post", which is not what happened."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.posting.failures import NEXT_STEPS
from core.texts import reddit as tr

ENGINE = Path(__file__).resolve().parents[3] / "core" / "posting" / "engine.py"
CODES = sorted({*NEXT_STEPS, *re.findall(r'"((?:posting|reddit)_[a-z_]+)"', ENGINE.read_text())})


@pytest.mark.parametrize("code", CODES)
def test_a_failure_reason_has_its_own_words(code: str) -> None:
    assert code in tr.ERRORS, code


def test_a_lost_photo_is_not_told_as_reddits_refusal() -> None:
    said = tr.error("posting_media_missing", {"subreddit": "pics"})
    assert "refused" not in said
    assert "r/pics" in said
