"""Text for the terminal commands that act for a user (`users`, `accounts`, `post`)."""

from __future__ import annotations

USER_HELP = (
    "ThottoPilot user id (see `thottopilot users`); default: you, this installation's "
    "local creator, the same one `thottopilot chat` talks as"
)
UNKNOWN_USER = (
    "no user {user_id}. Run `thottopilot users` to see everyone's id (`--find NAME` "
    "searches), or leave out --user to act as yourself, the local creator."
)
NO_ACCOUNTS = (
    "no Reddit account connected for {who} yet. Connect one with "
    "`thottopilot accounts add-reddit --refresh-token TOKEN`{user_flag}."
)
UNKNOWN_ACCOUNT = (
    "no Reddit account {account!r} for {who}. Connected: {names}. "
    "See `thottopilot accounts list`{user_flag}."
)
NO_DEFAULT_ACCOUNT = (
    "{who} has several Reddit accounts ({names}); pick one with --account NAME."
)
LOCAL_CREATOR = "you (local creator, id {user_id})"
OTHER_USER = "user {user_id}"

USERS_HEADER = "id\tcreated\tdefault account\tidentities"
USERS_NONE = "No users yet."
USERS_NONE_MATCHING = "No user matches {search!r}."
USERS_HINT = (
    "Use an id with --user ID. Creators who chat with the bot appear here after their "
    "first message, as telegram:<their id> @<username> or discord:<id>; "
    "`thottopilot users --find alice` searches names and handles. Without --user, "
    "commands act for you, the local creator ({local})."
)
LOCAL_NOT_YET = "console:{name}, created on first use"
LOCAL_IS = "console:{name}, id {user_id}"

CAPTION_EMPTY = (
    'describe the post in a few words, e.g. thottopilot caption "red dress, rooftop at sunset"'
)

# `thottopilot chat`: the first line the terminal shows
CHAT_INTRO = ("ThottoPilot chat. Type a number to press a button, /help for commands, /quit to "
              "leave.")
