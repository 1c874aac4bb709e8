"""/web: the chat hands out a single-use sign-in link to the web companion."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fakes.chat import ChatDriver
from tests.fakes.web_signin import page_text


def _link(reply) -> str:
    urls = [b.url for row in reply.reply.buttons for b in row if b.url]
    assert len(urls) == 1, reply.reply.buttons
    return urls[0]


async def test_web_sends_a_button_with_a_sign_in_link_that_expires(chat: ChatDriver):
    reply = await chat.send("/web")
    assert "works once, for 10 minutes" in reply.text
    assert urlsplit(_link(reply)).path == "/signin"


@pytest.mark.both_backends
async def test_the_link_signs_the_same_creator_in_once(chat: ChatDriver, web):
    await chat.send("/voice")  # the creator exists before the link, as in real use
    token = parse_qs(urlsplit(_link(await chat.send("/web"))).query)["t"][0]
    page = await web.get("/signin", params={"t": token})
    assert page.status == 200
    assert "Continue as alice" in await page_text(page)  # opening it uses nothing up
    first = await web.post("/signin", data={"t": token}, allow_redirects=False)
    assert first.status == 303
    again = await web.post("/signin", data={"t": token}, allow_redirects=False)
    assert again.status == 410  # single use


async def test_every_web_command_gets_a_fresh_link(chat: ChatDriver):
    first, second = _link(await chat.send("/web")), _link(await chat.send("/web"))
    assert first != second
