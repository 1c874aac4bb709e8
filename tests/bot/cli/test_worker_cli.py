"""`thottopilot worker`: the posting worker on its own (deployments that split roles)."""

from __future__ import annotations

from tests.bot.cli.test_schedule_cli import cli_env, jobs, thottopilot, user_id

__all__ = ["cli_env", "user_id"]  # fixtures shared with the schedule specs


async def test_worker_once_posts_what_is_due_and_nothing_else(user_id, fake_reddit, capsys):
    assert await thottopilot("post", "--user", str(user_id), "--subreddit", "pics",
                             "--title", "Due now", "--text", "hi", "--at", "now") == 0
    assert await thottopilot("post", "--user", str(user_id), "--subreddit", "cats",
                             "--title", "Later", "--text", "hi", "--at", "in 2h") == 0
    capsys.readouterr()
    assert await thottopilot("worker", "--once") == 0
    assert "Ran 1 due post" in capsys.readouterr().out
    assert [p.title for p in fake_reddit.posts] == ["Due now"]
    [left] = await jobs(user_id)
    assert left.targets[0].title == "Later"
