"""`thottopilot accounts` and `thottopilot post`: the agency path, without any chat.

The CLI runs for real (its own event loop, in a worker thread so the fake Reddit keeps
serving on the test's loop), configured only through THOTTOPILOT_* variables.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.cli import main
from core.bootstrap import open_core
from core.settings import load_settings
from core.users import Who
from tests.fakes.databases import seed_data_dir
from tests.fakes.reddit import make_jpeg


@pytest.fixture
def cli_env(monkeypatch, tmp_path, fake_reddit, sqlite_template):
    seed_data_dir(sqlite_template, tmp_path / "data")  # an install that ran before
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("THOTTOPILOT_SECURITY__SECRET_KEY", "cli-test-secret-of-at-least-32-chars")
    for key, value in fake_reddit.settings_section().items():
        monkeypatch.setenv(f"THOTTOPILOT_REDDIT__{key.upper()}", str(value))


@pytest.fixture
async def user_id(cli_env) -> int:
    """An adult creator who came in through chat earlier (same database as the CLI)."""
    async with open_core(load_settings(None)) as core, core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "42", "Alice"))
        await core.users.confirm_adult(session, user)
        await core.users.set_nsfw(session, user, True)
        return user.id


async def thottopilot(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


@pytest.fixture
async def connected(user_id, fake_reddit) -> int:
    token = fake_reddit.issue_refresh_token("alice")
    assert await thottopilot("accounts", "add-reddit", "--user", str(user_id),
                             "--refresh-token", token) == 0
    return user_id


def _strict_nsfw_sub(fake_reddit):
    fake_reddit.add_sub(
        "GoneTest", about={"over18": True},
        requirements={"is_flair_required": True, "title_required_strings": ["[F]"]},
        flairs=[{"flair_template_id": "flair-pic", "flair_text": "Pic"},
                {"flair_template_id": "flair-set", "flair_text": "Set"}],
    )


async def test_add_reddit_with_a_refresh_token_connects_the_account(user_id, fake_reddit, capsys):
    token = fake_reddit.issue_refresh_token("alice")
    code = await thottopilot("accounts", "add-reddit", "--user", str(user_id),
                             "--refresh-token", token, "--json")
    assert code == 0
    assert json.loads(capsys.readouterr().out)["account"] == "alice"
    assert await thottopilot("accounts", "list", "--user", str(user_id), "--json") == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["account"], listed["status"]) == ("alice", "active")


async def test_add_reddit_reads_the_refresh_token_from_the_environment(
    user_id, fake_reddit, monkeypatch, capsys
):
    """Secrets on argv show up in `ps` and shell history; the environment doesn't."""
    monkeypatch.setenv("THOTTOPILOT_REDDIT_REFRESH_TOKEN", fake_reddit.issue_refresh_token("bob"))
    assert await thottopilot("accounts", "add-reddit", "--user", str(user_id)) == 0
    assert "u/bob" in capsys.readouterr().out


async def test_add_reddit_with_script_app_credentials(user_id, capsys):
    code = await thottopilot(
        "accounts", "add-reddit", "--user", str(user_id), "--client-id", "fake-client-id",
        "--client-secret", "fake-client-secret", "--username", "bob",
        "--password", "bob-password")
    assert code == 0
    assert "u/bob" in capsys.readouterr().out


async def test_add_reddit_with_a_bad_refresh_token_fails_clearly(user_id, capsys):
    code = await thottopilot("accounts", "add-reddit", "--user", str(user_id),
                             "--refresh-token", "rt-not-issued")
    assert code == 1
    assert capsys.readouterr().err.strip()


async def test_add_reddit_without_credentials_is_bad_input(user_id, capsys):
    assert await thottopilot("accounts", "add-reddit", "--user", str(user_id)) == 2
    assert "--refresh-token" in capsys.readouterr().err


async def test_post_fixes_the_tag_and_posts_an_nsfw_image_with_flair(
    connected, fake_reddit, tmp_path, capsys
):
    _strict_nsfw_sub(fake_reddit)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(make_jpeg())
    code = await thottopilot(
        "post", "--user", str(connected), "--account", "alice", "--subreddit", "GoneTest",
        "--title", "Sunday vibes", "--image", str(photo), "--nsfw", "--flair", "flair-pic",
        "--json")
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    post = fake_reddit.posts[-1]
    assert out["link"] == f"{fake_reddit.url}/r/GoneTest/comments/{post.id}/"
    assert post.title == "[F] Sunday vibes"
    assert (post.kind, post.data["nsfw"], post.data["flair_id"]) == ("image", "true", "flair-pic")


async def test_post_missing_a_required_flair_is_blocked_with_exit_3(
    connected, fake_reddit, tmp_path, capsys
):
    _strict_nsfw_sub(fake_reddit)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(make_jpeg())
    code = await thottopilot("post", "--user", str(connected), "--account", "alice",
                             "--subreddit", "GoneTest", "--title", "[F] hi", "--image",
                             str(photo))
    assert code == 3
    out = capsys.readouterr().out
    assert "flair" in out
    assert "Pic" in out
    assert fake_reddit.posts == []


async def test_post_with_a_missing_file_is_bad_input(connected, tmp_path, capsys):
    code = await thottopilot("post", "--user", str(connected), "--account", "alice",
                             "--subreddit", "pics", "--title", "t", "--image",
                             str(tmp_path / "nope.jpg"))
    assert code == 2
    assert "nope.jpg" in capsys.readouterr().err


async def test_post_for_an_unknown_account_is_bad_input(connected, capsys):
    code = await thottopilot("post", "--user", str(connected), "--account", "nobody",
                             "--subreddit", "pics", "--title", "t", "--url",
                             "https://example.com/")
    assert code == 2
    assert "nobody" in capsys.readouterr().err


def _post_args(user_id, subreddit, title, *more):
    return ("post", "--user", str(user_id), "--account", "alice", "--subreddit", subreddit,
            "--title", title, *more)


async def test_post_gallery_uploads_each_image_with_its_caption(
    connected, fake_reddit, tmp_path, capsys
):
    fake_reddit.add_sub("CliGallery")
    paths = []
    for n, color in enumerate(((200, 0, 0), (0, 0, 200))):
        path = tmp_path / f"shot{n}.jpg"
        path.write_bytes(make_jpeg(color))
        paths.append(str(path))
    code = await thottopilot(*_post_args(connected, "CliGallery", "Two looks", "--gallery",
                                         *paths, "--captions", "red one", "blue one"))
    assert code == 0
    post = fake_reddit.posts[-1]
    assert (post.kind, post.title) == ("gallery", "Two looks")
    assert [item["caption"] for item in post.data["items"]] == ["red one", "blue one"]
    assert sorted(fake_reddit.uploads.values()) == sorted(
        (tmp_path / f"shot{n}.jpg").read_bytes() for n in range(2))
    assert capsys.readouterr().out.strip() == (
        f"{fake_reddit.url}/r/CliGallery/comments/{post.id}/")


async def test_post_url_submits_a_link_post(connected, fake_reddit, capsys):
    fake_reddit.add_sub("CliLinks")
    code = await thottopilot(*_post_args(connected, "CliLinks", "Worth a read", "--url",
                                         "https://example.com/article"))
    assert code == 0
    post = fake_reddit.posts[-1]
    assert (post.kind, post.data["url"]) == ("link", "https://example.com/article")
    assert capsys.readouterr().out.strip() == (
        f"{fake_reddit.url}/r/CliLinks/comments/{post.id}/")


async def test_post_text_submits_a_self_post_with_the_body(connected, fake_reddit):
    fake_reddit.add_sub("CliTalk")
    code = await thottopilot(*_post_args(connected, "CliTalk", "A question", "--text",
                                         "What do you all think?"))
    assert code == 0
    post = fake_reddit.posts[-1]
    assert (post.kind, post.data["text"]) == ("self", "What do you all think?")


async def test_post_spoiler_flag_reaches_reddit(connected, fake_reddit, tmp_path):
    fake_reddit.add_sub("CliSpoilers")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(make_jpeg())
    code = await thottopilot(*_post_args(connected, "CliSpoilers", "Finale reaction",
                                         "--image", str(photo), "--spoiler"))
    assert code == 0
    post = fake_reddit.posts[-1]
    assert (post.kind, post.data["spoiler"], post.data["nsfw"]) == ("image", "true", "false")


@pytest.mark.parametrize("asked", ["about", "submit"])  # the rules fetch, the submit
async def test_post_holds_no_database_transaction_while_reddit_is_asked(
        connected, fake_reddit, asked):
    """While Reddit is asked, the CLI holds no transaction: another process can write
    (on SQLite a held transaction is the one write lock, taken for seconds)."""
    fake_reddit.add_sub("CliSlow")
    fake_reddit.holds[asked] = asyncio.Event()
    arrived = fake_reddit.arrived.setdefault(asked, asyncio.Event())
    posting = asyncio.create_task(thottopilot(*_post_args(
        connected, "CliSlow", "Slow day", "--text", "Reddit takes its time")))
    try:
        async with asyncio.timeout(60.0):
            await arrived.wait()
        async with open_core(load_settings(None)) as core, core.db.session() as session:
            user = await core.users.get(session, connected)
            user.language = "de"  # any write, from another process
    finally:
        fake_reddit.holds.pop(asked).set()
    async with asyncio.timeout(60.0):
        assert await posting == 0
    assert [p.title for p in fake_reddit.posts] == ["Slow day"]


async def test_post_takes_its_requests_from_the_shared_reddit_budget(
        connected, fake_reddit, capsys):
    """The budget every process of the install shares (the worker's too): spent, the
    CLI says when to try again and sends nothing (the subreddit's rules are saved from
    earlier, so the rule check needs no request)."""
    from core.posting.budget import ApiBudgetLedger

    fake_reddit.add_sub("CliBusy")
    async with open_core(load_settings(None)) as core:
        async with core.db.session() as session:
            account = await core.reddit.accounts.find(session, connected, "alice")
            await core.reddit.rules_for(session, "CliBusy", account)
        budget = ApiBudgetLedger.for_core(core)
        for _ in range(budget.per_minute + 1):  # this minute's requests, all taken
            if await budget.reserve(1) > 0:
                break
        assert await budget.reserve(1) > 0
    code = await thottopilot(*_post_args(connected, "CliBusy", "Too soon", "--text", "hi",
                                         "--json"))
    assert code == 1
    assert json.loads(capsys.readouterr().out)["error"] == "reddit_busy"
    assert fake_reddit.requests["submit"] == 0
