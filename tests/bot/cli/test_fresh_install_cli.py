"""A fresh install: a person with only a terminal uses every command without any id.

The first test runs the real `thottopilot` executable in a new, empty directory, with
nothing but environment variables pointing Reddit at the local fake. The others run the
CLI in-process (in a worker thread, so the fake Reddit keeps serving on this loop) from
an empty working directory.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from bot.cli import main
from core.bootstrap import open_core
from core.settings import load_settings
from core.users import Who, local_who
from tests.fakes.reddit import FakeReddit, make_jpeg

CEILING = 120  # seconds: a generous ceiling for a busy machine, not a speed claim


def _fresh_env(fake_reddit: FakeReddit, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env.update({f"THOTTOPILOT_REDDIT__{k.upper()}": str(v)
                for k, v in fake_reddit.settings_section().items()})
    return {**env, **extra}


async def _run(cwd: Path, env: dict[str, str], *argv: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *argv, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), CEILING)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_a_new_directory_connects_an_account_and_posts_knowing_no_id(
    tmp_path, fake_reddit
):
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    fake_reddit.add_sub("FreshStart")
    env = _fresh_env(fake_reddit,
                     THOTTOPILOT_REDDIT_REFRESH_TOKEN=fake_reddit.issue_refresh_token("alice"))

    code, out, err = await _run(fresh, env, "accounts", "add-reddit")
    assert code == 0, err
    assert "u/alice" in out
    code, out, _ = await _run(fresh, env, "accounts", "list", "--json")
    assert code == 0
    [listed] = json.loads(out)
    assert (listed["account"], listed["default"]) == ("alice", True)
    code, out, err = await _run(fresh, env, "post", "--subreddit", "FreshStart",
                                "--title", "Hello from a terminal", "--url",
                                "https://example.com/")
    assert code == 0, err
    [post] = fake_reddit.posts
    assert (post.author, post.title) == ("alice", "Hello from a terminal")
    assert out.strip() == f"{fake_reddit.url}/r/FreshStart/comments/{post.id}/"
    assert (fresh / "data" / "thottopilot.db").is_file()


async def test_chat_and_the_commands_act_for_the_same_local_creator(tmp_path, fake_reddit):
    """`thottopilot chat` first, then `accounts add-reddit`: one user, not two."""
    env = _fresh_env(fake_reddit, THOTTOPILOT_APP__DATA_DIR=str(tmp_path / "data"))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "chat", cwd=tmp_path, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    await asyncio.wait_for(proc.communicate(b"/help\n/quit\n"), CEILING)
    assert proc.returncode == 0
    token = fake_reddit.issue_refresh_token("alice")
    assert (await _run(tmp_path, env, "accounts", "add-reddit", "--refresh-token", token))[0] == 0

    code, out, err = await _run(tmp_path, env, "users", "--json")
    assert code == 0, err
    [user] = json.loads(out)["users"]
    assert user["identities"] == [f"console:{local_who().external_id}"]
    assert (user["local_creator"], user["default_account"]) == (True, "alice")


@pytest.fixture
def fresh_cwd(monkeypatch, tmp_path, fake_reddit) -> Path:
    """An empty working directory; only Reddit's whereabouts are configured."""
    cwd = tmp_path / "fresh"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    for key, value in fake_reddit.settings_section().items():
        monkeypatch.setenv(f"THOTTOPILOT_REDDIT__{key.upper()}", str(value))
    return cwd


async def thottopilot(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def _chat_user(handle: str, *, adult: bool = False) -> int:
    async with open_core(load_settings(None)) as core, core.db.session() as session:
        user, _ = await core.users.get_or_create(
            session, Who("telegram", "4242", display_name="Bea", username=handle))
        if adult:
            await core.users.confirm_adult(session, user)
            await core.users.set_nsfw(session, user, True)
        return user.id


async def test_users_on_a_fresh_install_says_how_to_find_an_id(fresh_cwd, capsys):
    assert await thottopilot("users") == 0
    captured = capsys.readouterr()
    assert "No users yet." in captured.out
    assert "--user ID" in captured.err
    assert f"console:{local_who().external_id}, created on first use" in captured.err


async def test_users_lists_ids_identities_and_default_accounts(fresh_cwd, fake_reddit, capsys):
    bea = await _chat_user("bea_creates")
    token = fake_reddit.issue_refresh_token("bea")
    assert await thottopilot("accounts", "add-reddit", "--user", str(bea),
                             "--refresh-token", token) == 0
    capsys.readouterr()
    assert await thottopilot("users") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("\t") == ["id", "created", "default account", "identities"]
    assert out[1].split("\t")[0] == str(bea)
    assert out[1].split("\t")[2:] == ["u/bea", "telegram:4242 @bea_creates"]


async def test_users_find_searches_chat_handles(fresh_cwd, capsys):
    bea = await _chat_user("bea_creates")
    assert await thottopilot("users", "--find", "@BEA_cr", "--json") == 0
    assert [u["id"] for u in json.loads(capsys.readouterr().out)["users"]] == [bea]
    assert await thottopilot("users", "--find", "nobody-like-this") == 0
    assert "No user matches 'nobody-like-this'." in capsys.readouterr().out


async def test_an_unknown_user_is_told_what_to_do_next(fresh_cwd, capsys):
    assert await thottopilot("accounts", "list", "--user", "999") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("thottopilot accounts: no user 999.")
    assert "thottopilot users" in err
    assert "leave out --user" in err


async def test_post_before_connecting_an_account_says_how_to_connect(fresh_cwd, capsys):
    code = await thottopilot("post", "--subreddit", "pics", "--title", "t", "--url",
                             "https://example.com/")
    assert code == 2
    assert "thottopilot accounts add-reddit --refresh-token" in capsys.readouterr().err


async def test_post_to_an_account_the_user_lacks_names_the_connected_ones(
    fresh_cwd, fake_reddit, capsys
):
    token = fake_reddit.issue_refresh_token("alice")
    assert await thottopilot("accounts", "add-reddit", "--refresh-token", token) == 0
    code = await thottopilot("post", "--account", "nobody", "--subreddit", "pics",
                             "--title", "t", "--url", "https://example.com/")
    assert code == 2
    err = capsys.readouterr().err
    assert "'nobody'" in err
    assert "u/alice" in err


async def test_nsfw_post_by_the_local_creator_is_the_operators_confirmation(
    fresh_cwd, fake_reddit, tmp_path
):
    fake_reddit.add_sub("AdultsOnly", about={"over18": True})
    token = fake_reddit.issue_refresh_token("alice")
    assert await thottopilot("accounts", "add-reddit", "--refresh-token", token) == 0
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(make_jpeg())
    assert await thottopilot("post", "--subreddit", "AdultsOnly", "--title", "Evening",
                             "--image", str(photo), "--nsfw") == 0
    assert fake_reddit.posts[-1].data["nsfw"] == "true"


async def test_nsfw_post_for_a_chat_user_still_needs_their_own_opt_in(
    fresh_cwd, fake_reddit, capsys
):
    fake_reddit.add_sub("AdultsOnly", about={"over18": True})
    bea = await _chat_user("bea_creates")
    token = fake_reddit.issue_refresh_token("bea")
    assert await thottopilot("accounts", "add-reddit", "--user", str(bea),
                             "--refresh-token", token) == 0
    code = await thottopilot("post", "--user", str(bea), "--subreddit", "AdultsOnly",
                             "--title", "Evening", "--url", "https://example.com/", "--nsfw")
    assert code == 3
    assert "18+" in capsys.readouterr().out
    assert fake_reddit.posts == []
