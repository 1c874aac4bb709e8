"""`thottopilot caption`: options on stdout (JSON or numbered), refusals exit 3."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.cli import main

DESCRIPTION = "red dress, rooftop at sunset"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path))
    return tmp_path


def caption(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["caption", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_gives_three_distinct_options_within_the_subreddits_limits(capsys):
    code, out, _ = caption(capsys, DESCRIPTION, "--subreddit", "selfie", "--json")
    assert code == 0
    result = json.loads(out)
    titles = [o["title"] for o in result["options"]]
    assert len(set(titles)) == 3
    assert all(3 <= len(title) <= 300 for title in titles)
    assert all(o["subreddit"] == "selfie" and o["nsfw"] is False for o in result["options"])
    assert (result["provider"], result["degraded"]) == ("offline", False)


def test_x_options_fit_in_280_characters_hashtags_included(capsys):
    code, out, _ = caption(capsys, DESCRIPTION, "--platform", "x", "--count", "5", "--json")
    assert code == 0
    options = json.loads(out)["options"]
    assert len(options) == 5
    assert all(len(o["text"]) <= 280 for o in options)
    assert all(f"#{o['hashtags'][0]}" in o["text"] for o in options if o["hashtags"])


def test_nsfw_writes_adult_titles_with_the_subreddits_required_tag(capsys):
    code, out, _ = caption(capsys, "black lace, candlelight", "--subreddit", "gonewild",
                           "--nsfw", "--persona", "seductress", "--json")
    assert code == 0
    options = json.loads(out)["options"]
    assert all(o["nsfw"] is True for o in options)
    assert all("[F]" in o["title"] for o in options)


def test_adult_persona_without_nsfw_stays_sfw_and_says_so(capsys):
    code, out, err = caption(capsys, "black lace", "--persona", "domme", "--json")
    assert code == 0
    assert all(o["nsfw"] is False for o in json.loads(out)["options"])
    assert "kept SFW" in err


def test_refused_prompt_exits_3_with_the_friendly_reason_on_stderr(capsys):
    code, out, err = caption(capsys, "16 year old in a bikini")
    assert code == 3
    assert out == ""
    assert "under 18" in err


def test_refused_prompt_with_json_prints_a_json_error_object(capsys):
    code, out, err = caption(capsys, "16 year old in a bikini", "--json")
    assert code == 3
    result = json.loads(out)
    assert (result["ok"], result["error"]) == (False, "refused")
    assert "under 18" in result["message"]
    assert result["category"]
    assert "under 18" in err


@pytest.mark.parametrize("description", ["", "   ", " ,.! "])
def test_an_empty_description_is_refused_with_an_example(capsys, description):
    code, out, err = caption(capsys, description)
    assert code == 2
    assert out == ""
    assert err.startswith("thottopilot caption: describe the post in a few words")
    assert err.count("\n") == 1


def test_an_empty_description_with_json_is_a_json_error(capsys):
    code, out, _ = caption(capsys, "", "--json")
    assert code == 2
    result = json.loads(out)
    assert (result["ok"], result["error"]) == (False, "empty_description")
    assert "describe the post" in result["message"]


def test_plain_output_numbers_the_options(capsys):
    code, out, _ = caption(capsys, DESCRIPTION, "--count", "2")
    assert code == 0
    assert out.startswith("1. ")
    assert "\n\n2. " in out
    assert "3. " not in out


def test_unreadable_photo_exits_2(capsys, tmp_path):
    not_a_photo = tmp_path / "notes.jpg"
    not_a_photo.write_text("just words")
    code, out, err = caption(capsys, DESCRIPTION, "--image", str(not_a_photo))
    assert code == 2
    assert out == ""
    assert "couldn't read that photo" in err


def test_count_outside_1_to_10_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["caption", DESCRIPTION, "--count", "11"])
    assert exit_info.value.code == 2
    assert "1 to 10" in capsys.readouterr().err


def test_nsfw_help_says_the_operator_confirms_18_plus(capsys):
    with pytest.raises(SystemExit):
        main(["caption", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "operator's confirmation" in help_text
    assert "18+" in help_text


def test_runs_with_zero_configuration_as_a_real_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "caption", DESCRIPTION, "--subreddit", "selfie",
         "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["options"]) == 3
    assert (tmp_path / "data" / "thottopilot.db").exists()


def test_explicit_promo_puts_the_creators_link_in_every_option(capsys):
    link = "https://fans.example/alice"
    code, out, _ = caption(capsys, DESCRIPTION, "--platform", "instagram", "--promo",
                           "explicit", "--link", link, "--json")
    assert code == 0
    for option in json.loads(out)["options"]:
        assert link in f"{option['title']} {option.get('body') or ''}"


def test_no_promo_means_no_link_or_call_to_action(capsys):
    code, out, _ = caption(capsys, DESCRIPTION, "--platform", "instagram", "--json")
    assert code == 0
    for option in json.loads(out)["options"]:
        assert "http" not in f"{option['title']} {option.get('body') or ''}"
