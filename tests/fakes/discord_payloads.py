"""Discord JSON objects as the real API shapes them, and its component limits.

Kept apart from the fake server so the shapes read like Discord's docs: a user, a
member, a DM or guild text channel, a message; and `component_problems`, the checks
Discord applies to `components` (5 action rows, 5 buttons or 1 select a row, 25
options, custom_id up to 100 characters, labels up to 80).
"""

from __future__ import annotations

from typing import Any

APP_ID = "1000000000000000001"
GUILD_ID = "1000000000000000002"
SFW_CHANNEL_ID = "1000000000000000003"
NSFW_CHANNEL_ID = "1000000000000000004"
TIMESTAMP = "2025-11-24T12:00:00.000000+00:00"
ALL_PERMISSIONS = str((1 << 41) - 1)
MEMBER_PERMISSIONS = str(1 << 11 | 1 << 10)  # send messages, view channel

BOT_USER: dict[str, Any] = {"id": "1000000000000000009", "username": "ThottoPilot",
                            "discriminator": "0", "global_name": None, "avatar": None,
                            "bot": True, "flags": 0}


def person(user_id: int, name: str = "alice") -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "discriminator": "0",
            "global_name": name.title(), "avatar": None, "public_flags": 0}


def member(user_id: int, admin: bool = False) -> dict[str, Any]:
    return {"user": person(user_id), "roles": [], "joined_at": TIMESTAMP, "deaf": False,
            "mute": False, "flags": 0, "nick": None,
            "permissions": ALL_PERMISSIONS if admin else MEMBER_PERMISSIONS}


def dm_channel(user_id: int) -> dict[str, Any]:
    return {"id": str(5_000_000_000_000_000_000 + user_id), "type": 1,
            "recipients": [person(user_id)], "last_message_id": None}


def private_channel(user_id: int, kind: str) -> dict[str, Any]:
    """A channel the bot is not a party to, where a user-installed app's commands can be
    used: "group" (a group DM of `user_id` and friends) or "dm" (their DM with a friend)."""
    friend = person(user_id + 1, "bob")
    if kind == "group":
        return {"id": str(6_000_000_000_000_000_000 + user_id), "type": 3, "name": None,
                "icon": None, "owner_id": str(user_id), "last_message_id": None,
                "recipients": [person(user_id), friend]}
    return {"id": str(7_000_000_000_000_000_000 + user_id), "type": 1,
            "recipients": [friend], "last_message_id": None}


def guild_channel(nsfw: bool) -> dict[str, Any]:
    return {"id": NSFW_CHANNEL_ID if nsfw else SFW_CHANNEL_ID, "type": 0,
            "guild_id": GUILD_ID, "name": "after-dark" if nsfw else "general",
            "position": 1 if nsfw else 0, "nsfw": nsfw, "topic": None,
            "permission_overwrites": [], "rate_limit_per_user": 0, "parent_id": None,
            "last_message_id": None, "flags": 0}


def message(message_id: str, channel_id: str, author: dict[str, Any], content: str, *,
            components: list[Any] | None = None, attachments: list[Any] | None = None,
            flags: int = 0) -> dict[str, Any]:
    return {"id": message_id, "channel_id": channel_id, "author": author,
            "content": content, "timestamp": TIMESTAMP, "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
            "attachments": attachments or [], "embeds": [], "pinned": False, "type": 0,
            "flags": flags, "components": components or []}


def component_problems(body: Any) -> list[str]:
    """Why Discord would refuse the `components` of this message body (empty if fine)."""
    if not isinstance(body, dict):
        return []
    rows = body.get("components") or (body.get("data") or {}).get("components") or []
    problems = [f"{len(rows)} action rows (max 5)"] if len(rows) > 5 else []
    for row in rows:
        items = row.get("components", [])
        selects = [c for c in items if c.get("type") == 3]
        if selects and len(items) > 1:
            problems.append("a select menu must be alone in its row")
        if len(items) > 5:
            problems.append(f"{len(items)} components in a row (max 5)")
        for item in items:
            custom_id = item.get("custom_id")
            if custom_id is not None and not 1 <= len(custom_id) <= 100:
                problems.append(f"custom_id of {len(custom_id)} characters (max 100)")
            if len(item.get("label") or "") > 80:
                problems.append("label longer than 80")
            options = item.get("options")
            if options is not None:
                if not 1 <= len(options) <= 25:
                    problems.append(f"{len(options)} select options (1-25)")
                for option in options:
                    if len(option["label"]) > 100 or len(option["value"]) > 100:
                        problems.append("select option longer than 100")
    return problems
