"""`thottopilot queue`: list, cancel and reschedule scheduled posts."""

from __future__ import annotations

import json

from tests.bot.cli.test_schedule_cli import cli_env, jobs, thottopilot, user_id

__all__ = ["cli_env", "user_id"]  # fixtures shared with the schedule specs


async def _schedule(user_id: int, title: str, at: str = "tomorrow 9pm") -> int:
    assert await thottopilot("post", "--user", str(user_id), "--subreddit", "pics",
                             "--title", title, "--text", "hi", "--at", at) == 0
    return max(j.id for j in await jobs(user_id))


async def test_queue_lists_upcoming_posts_in_the_creators_time(user_id, capsys):
    job = await _schedule(user_id, "First", "tomorrow 9pm")
    capsys.readouterr()
    assert await thottopilot("queue", "--user", str(user_id)) == 0
    out = capsys.readouterr().out
    assert f"#{job}" in out
    assert "21:00  r/pics  scheduled  First" in out


async def test_an_empty_queue_says_how_to_add_a_post(user_id, capsys):
    capsys.readouterr()
    assert await thottopilot("queue", "--user", str(user_id)) == 0
    assert "--at TIME" in capsys.readouterr().out


async def test_cancel_removes_it_from_the_queue(user_id, capsys):
    job = await _schedule(user_id, "Never mind")
    assert await thottopilot("queue", "--user", str(user_id), "cancel", str(job)) == 0
    assert await jobs(user_id) == []
    [cancelled] = await jobs(user_id, include_done=True)
    assert cancelled.targets[0].state == "cancelled"


async def test_reschedule_moves_it_to_the_new_time(user_id, capsys):
    job = await _schedule(user_id, "Move me", "tomorrow 9pm")
    capsys.readouterr()
    assert await thottopilot("queue", "--user", str(user_id), "--json", "reschedule",
                             str(job), "in", "3", "days") == 0
    before = json.loads(capsys.readouterr().out)
    [view] = await jobs(user_id)
    assert view.due_at.isoformat() == before["due_at"]
    assert before["job_id"] == job


async def test_reschedule_to_an_unreadable_time_is_refused_and_changes_nothing(
    user_id, capsys
):
    job = await _schedule(user_id, "Stay", "tomorrow 9pm")
    [before] = await jobs(user_id)
    assert await thottopilot("queue", "--user", str(user_id), "reschedule", str(job),
                             "someday") == 3
    assert "tomorrow 9pm" in capsys.readouterr().err
    [after] = await jobs(user_id)
    assert after.due_at == before.due_at


async def test_an_unknown_job_is_a_clear_input_error(user_id, capsys):
    assert await thottopilot("queue", "--user", str(user_id), "cancel", "999") == 2
    assert "no scheduled post #999" in capsys.readouterr().err
