"""Buttons, select menus and the answer modal, through the real view rendering."""

import pytest

from bot.conversation.replies import Button, LayoutError
from bot.discord import render
from core.texts import common


def buttons_of(call):
    return [c for row in call.body.get("components", []) for c in row["components"]]


async def test_a_button_press_is_acknowledged_and_advances_the_flow(fake_discord, discord_bot):
    start = await fake_discord.slash("start")
    [greeting] = await fake_discord.wait_followups(start)
    sfw = buttons_of(greeting)[0]
    press = await fake_discord.press(greeting.result, sfw["custom_id"])
    [answer] = await fake_discord.wait_followups(press)
    [ack] = fake_discord.callbacks(press)
    assert ack.body["type"] == 6  # DEFERRED_UPDATE_MESSAGE
    assert answer.body["content"] not in (common.BUTTON_EXPIRED, greeting.body["content"])


async def test_someone_elses_button_is_refused(fake_discord, discord_bot):
    start = await fake_discord.slash("start", user_id=42)
    [greeting] = await fake_discord.wait_followups(start)
    press = await fake_discord.press(greeting.result, buttons_of(greeting)[0]["custom_id"],
                                     user_id=77)
    [answer] = await fake_discord.wait_followups(press)
    assert answer.body["content"] == common.BUTTON_EXPIRED


async def test_a_list_of_25_becomes_one_select_menu_and_a_choice_is_a_press(
        fake_discord, discord_bot, dispatcher):
    start = await fake_discord.slash("start")
    [greeting] = await fake_discord.wait_followups(start)
    sfw = buttons_of(greeting)[0]["custom_id"]
    rows = [[Button(f"Choice {n}", payload=f"x|y|{n}")] for n in range(24)]
    rows.append([Button("SFW", payload=sfw)])
    [select] = render.layout(rows)
    assert isinstance(select, render.Select)
    assert len(select.options) == 25
    view = render.view_of(rows)
    [row] = view.to_components()
    [menu] = row["components"]
    assert menu["type"] == 3
    assert len(menu["options"]) == 25
    press = await fake_discord.select(greeting.result, menu["custom_id"], [sfw])
    [answer] = await fake_discord.wait_followups(press)
    assert answer.body["content"] not in (common.BUTTON_EXPIRED, greeting.body["content"])


def test_a_keyboard_discord_cannot_show_is_refused_before_sending():
    grid = [[Button(f"{r}{c}", payload=f"p{r}{c}") for c in range(5)] for r in range(6)]
    with pytest.raises(LayoutError):
        render.layout(grid)
    with pytest.raises(LayoutError):
        render.layout([[Button("x" * 81, payload="p"), Button("y", payload="q")]])
    long_list = [[Button(f"n{n}", payload=f"p{n}")] for n in range(126)]
    with pytest.raises(LayoutError):  # 6 selects of 25 would be 6 rows
        render.layout(long_list)


async def test_in_a_server_the_answer_button_opens_a_modal_whose_text_reaches_the_flow(
        fake_discord, discord_bot):
    start = await fake_discord.slash("caption", guild=True)
    [question] = await fake_discord.wait_followups(start)
    answer = next(b for b in buttons_of(question) if b["custom_id"] == render.ANSWER_ID)
    press = await fake_discord.press(question.result, answer["custom_id"], guild=True)
    [modal] = await fake_discord.wait_until_callbacks(press)
    assert modal.body["type"] == 9  # MODAL
    submit = await fake_discord.submit_modal(render.ANSWER_ID,
                                             {"text": "red dress on a rooftop"}, guild=True)
    [reply, *_] = await fake_discord.wait_followups(submit)
    assert reply.body["content"] != question.body["content"]
    assert reply.body["flags"] & 64  # ephemeral
