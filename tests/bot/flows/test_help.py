"""/help and the commands every flow shares."""


async def test_help_lists_start_help_and_cancel(chat):
    reply = await chat.send("/help")
    for command in ("/start", "/help", "/cancel"):
        assert command in reply.text


async def test_unknown_command_points_to_help(chat):
    reply = await chat.send("/frobnicate")
    assert "/help" in reply.text


async def test_cancel_leaves_the_current_flow(chat):
    await chat.send("/start")
    reply = await chat.send("/cancel")
    assert "cancelled" in reply.text
    reply = await chat.send("/cancel")
    assert "nothing to cancel" in reply.text.lower()


async def test_free_text_outside_a_flow_gets_a_hint(chat):
    reply = await chat.send("hello?")
    assert "/help" in reply.text
