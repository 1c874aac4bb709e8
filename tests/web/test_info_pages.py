"""Pages anyone may read: help with search, Terms, Privacy; headers and no inline script."""

import re

import pytest

from tests.fakes.web_signin import page_text, sign_in
from web.pages.help_articles import ARTICLES

PUBLIC = ["/help", "/terms", "/privacy", "/signin", "/offline", "/caption", "/post"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


async def test_help_search_finds_articles_by_every_word(web):
    page = await page_text(await web.get("/help?q=lost+phone"))
    assert "1 article" in page
    visible = re.findall(r'<details id="([\w-]+)" data-article>', page)
    assert visible == ["sign-out"]


async def test_help_without_a_query_shows_every_article(web):
    page = await page_text(await web.get("/help"))
    assert "data-article hidden" not in page
    assert len(re.findall(r'<details id="[\w-]+" data-article>', page)) == len(ARTICLES)
    assert "Ctrl" in page
    assert "K</kbd>" in page


async def test_help_search_with_no_match_says_none(web):
    page = await page_text(await web.get("/help?q=zzzz"))
    assert "0 articles" in page


async def test_terms_and_privacy_say_18_plus_and_what_is_kept(web):
    terms = await page_text(await web.get("/terms"))
    assert "18 or older" in terms
    privacy = await page_text(await web.get("/privacy"))
    assert "encrypted" in privacy


@pytest.mark.parametrize("path", PUBLIC)
async def test_public_pages_answer_with_security_headers_and_no_inline_script(web, path):
    resp = await web.get(path)
    assert resp.status == 200
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    csp = dict(d.strip().split(" ", 1) for d in resp.headers["Content-Security-Policy"].split(";"))
    assert "'unsafe-inline'" not in csp.get("script-src", csp["default-src"])
    assert not INLINE_SCRIPT.search(await resp.text())
    assert '<html lang="en">' in await resp.text()


@pytest.mark.parametrize("path", ["/settings", "/queue", "/history"])
async def test_signed_in_pages_have_no_inline_script_either(web, core, path):
    await sign_in(web, core)
    resp = await web.get(path)
    assert resp.status == 200
    assert not INLINE_SCRIPT.search(await resp.text())
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]


async def test_every_form_field_has_a_label(web, core):
    await sign_in(web, core)
    page = await resp_text(web, "/settings")
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([\w-]+)"', page))
    labelled = set(re.findall(r'<label for="([\w-]+)"', page))
    assert ids <= labelled
    assert ids


async def resp_text(web, path):
    return await (await web.get(path)).text()
