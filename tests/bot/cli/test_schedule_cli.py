"""`thottopilot post --at` and `thottopilot schedule import`: scheduling without a chat.

The CLI runs for real (its own event loop in a worker thread, so the fake Reddit keeps
serving on the test's loop), configured only through THOTTOPILOT_* variables.
"""

from __future__ import annotations

import asyncio
import json
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from core.bootstrap import open_core
from core.posting.service import PostingService
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
    for name in ("pics", "cats", "selfie"):
        fake_reddit.add_sub(name)


async def thottopilot(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


@pytest.fixture
async def user_id(cli_env, fake_reddit) -> int:
    """A creator in Berlin with u/alice connected (same database as the CLI)."""
    async with open_core(load_settings(None)) as core, core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "42", "Alice"))
        user.timezone = "Europe/Berlin"
        user_id = user.id
    token = fake_reddit.issue_refresh_token("alice")
    assert await thottopilot("accounts", "add-reddit", "--user", str(user_id),
                             "--refresh-token", token) == 0
    return user_id


async def jobs(user_id: int, include_done: bool = False):
    async with open_core(load_settings(None)) as core:
        return await PostingService(core).list_jobs(user_id, include_done=include_done)


async def test_post_at_schedules_and_exits_at_once_with_the_job_id(user_id, fake_reddit,
                                                                   capsys):
    capsys.readouterr()
    code = await thottopilot("post", "--user", str(user_id), "--subreddit", "pics",
                             "--title", "Later", "--text", "hi", "--at", "in 2h", "--json")
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scheduled"] is True
    [job] = await jobs(user_id)
    assert out["job_id"] == job.id
    assert fake_reddit.posts == []  # nothing posted now


async def test_post_at_an_unreadable_time_is_refused_with_an_example_not_posted(
    user_id, fake_reddit, capsys
):
    code = await thottopilot("post", "--user", str(user_id), "--subreddit", "pics",
                             "--title", "Oops", "--text", "hi", "--at", "whenever")
    assert code == 3
    assert "tomorrow 9pm" in capsys.readouterr().err
    assert fake_reddit.posts == []
    assert await jobs(user_id) == []


def _csv(tmp_path, *rows: str) -> str:
    (tmp_path / "a.jpg").write_bytes(make_jpeg())
    path = tmp_path / "plan.csv"
    path.write_text("subreddit,title,when,image,text\n" + "\n".join(rows) + "\n")
    return str(path)


async def test_import_schedules_every_row_and_reports_each(user_id, tmp_path, capsys):
    plan = _csv(tmp_path, "pics,Golden hour,tomorrow 9pm,a.jpg,",
                "cats,Hello cats,in 3 days,,some text")
    capsys.readouterr()
    assert await thottopilot("schedule", "import", plan, "--user", str(user_id)) == 0
    out = capsys.readouterr().out
    assert "row 2: ok  r/pics" in out
    assert "row 3: ok  r/cats" in out
    scheduled = await jobs(user_id)
    assert sorted(t.subreddit for j in scheduled for t in j.targets) == ["cats", "pics"]


async def test_import_with_a_bad_row_imports_nothing_and_says_which(user_id, tmp_path, capsys):
    plan = _csv(tmp_path, "pics,Golden hour,tomorrow 9pm,a.jpg,",
                "cats,Hello cats,someday,,text", "nowhere_sub_x,Hi,in 2h,,text")
    capsys.readouterr()
    assert await thottopilot("schedule", "import", plan, "--user", str(user_id)) == 3
    out = capsys.readouterr().out
    assert "row 2: ok" in out
    assert "row 3: I couldn't read 'someday'" in out
    assert "row 4: " in out
    assert "row 4: ok" not in out
    assert "Nothing imported" in out
    assert await jobs(user_id) == []


async def test_import_partial_schedules_the_good_rows(user_id, tmp_path, capsys):
    plan = _csv(tmp_path, "pics,Golden hour,tomorrow 9pm,a.jpg,", "cats,Hi,someday,,text")
    assert await thottopilot("schedule", "import", plan, "--user", str(user_id),
                             "--partial", "--json") == 3
    report = json.loads(capsys.readouterr().out)
    assert report["imported"] == 1
    assert [r["ok"] for r in report["rows"]] == [True, False]
    assert [j.targets[0].subreddit for j in await jobs(user_id)] == ["pics"]


async def test_importing_the_same_file_twice_schedules_nothing_twice(user_id, tmp_path):
    plan = _csv(tmp_path, "pics,Golden hour,tomorrow 9pm,a.jpg,")
    assert await thottopilot("schedule", "import", plan, "--user", str(user_id)) == 0
    assert await thottopilot("schedule", "import", plan, "--user", str(user_id)) == 0
    assert len(await jobs(user_id)) == 1


async def test_import_reads_times_in_the_creators_zone(user_id, tmp_path, capsys):
    plan = _csv(tmp_path, "pics,Golden hour,tomorrow 21:00,a.jpg,")
    assert await thottopilot("schedule", "import", plan, "--user", str(user_id)) == 0
    [job] = await jobs(user_id)
    local = job.due_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.hour, local.minute) == (21, 0)


async def test_import_beyond_the_tiers_horizon_is_refused(user_id, tmp_path, capsys):
    plan = _csv(tmp_path, "pics,Golden hour,in 30 days,a.jpg,")
    assert await thottopilot("schedule", "import", plan, "--user", str(user_id)) == 3
    assert "up to 7 days ahead" in capsys.readouterr().out
