"""The installable app: manifest, icons, service worker, offline page, static caching."""

import gzip
import io
import re

from PIL import Image

from core.texts import site as texts
from web.assets import Assets

PAGES = ["/", "/help", "/terms", "/privacy", "/signin", "/offline", "/caption", "/post"]
ASSET_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')


async def test_the_manifest_has_what_installing_needs(web):
    resp = await web.get("/manifest.webmanifest")
    assert resp.status == 200
    assert resp.content_type == "application/manifest+json"
    manifest = await resp.json(content_type=None)
    assert manifest["name"] == "ThottoPilot"
    assert manifest["short_name"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/")
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"),
            ("512x512", "maskable")} <= sizes


async def test_every_manifest_icon_is_a_png_of_its_stated_size(web):
    manifest = await (await web.get("/manifest.webmanifest")).json(content_type=None)
    for icon in manifest["icons"]:
        resp = await web.get(icon["src"])
        assert resp.status == 200
        assert resp.content_type == "image/png"
        image = Image.open(io.BytesIO(await resp.read()))
        assert f"{image.width}x{image.height}" == icon["sizes"]


async def test_maskable_icons_fill_the_whole_canvas(web):
    manifest = await (await web.get("/manifest.webmanifest")).json(content_type=None)
    for icon in manifest["icons"]:
        if icon["purpose"] == "maskable":
            image = Image.open(io.BytesIO(await (await web.get(icon["src"])).read()))
            assert image.convert("RGBA").getpixel((0, 0))[3] == 255  # no transparent corner


async def test_the_manifest_shortcuts_open_caption_and_post(web):
    manifest = await (await web.get("/manifest.webmanifest")).json(content_type=None)
    names = {s["name"]: s["url"] for s in manifest["shortcuts"]}
    assert set(names) == {"Caption", "Post"}
    for url in names.values():
        assert (await web.get(url)).status == 200


async def test_every_page_links_the_manifest_and_theme_colour(web):
    for path in PAGES[1:]:
        page = await (await web.get(path)).text()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page, path
        assert '<meta name="theme-color"' in page, path


async def test_static_files_are_fingerprinted_and_immutable(web):
    page = await (await web.get("/help")).text()
    urls = set(ASSET_URL.findall(page))
    assert any(u.endswith(".css") for u in urls)
    assert any(u.endswith(".js") for u in urls)
    for url in urls:
        assert re.search(r"\.[0-9a-f]{10}\.\w+$", url), url
        resp = await web.get(url)
        assert resp.status == 200
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"


async def test_text_assets_are_served_gzipped_to_browsers_that_take_it(web):
    url = Assets().url("app.css")
    resp = await web.get(url, headers={"Accept-Encoding": "gzip"}, auto_decompress=False)
    assert resp.headers["Content-Encoding"] == "gzip"
    assert b":root" in gzip.decompress(await resp.read())


async def test_an_unknown_or_stale_fingerprint_is_a_404_nobody_caches(web):
    resp = await web.get("/static/app.0000000000.css")
    assert resp.status == 404
    assert resp.headers["Cache-Control"] == "no-store"
    assert (await web.get("/static/make_icons.py")).status == 404


async def test_js_and_css_of_any_page_stay_under_50_kb_gzipped(web):
    assets = Assets()
    for path in PAGES:
        page = await (await web.get(path)).text()
        total = 0
        for url in set(ASSET_URL.findall(page)):
            if url.endswith((".js", ".css")):
                asset = assets.by_url(url)
                total += len(asset.gzipped or asset.body)
        assert total < 50 * 1024, (path, total)


async def test_the_service_worker_is_revalidated_and_names_this_deploys_files(web):
    resp = await web.get("/sw.js")
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-cache"
    assert resp.content_type == "text/javascript"
    body = await resp.text()
    assets = Assets()
    assert f'"version": "{assets.version}"' in body
    assert assets.url("app.css") in body
    assert '"offline": "/offline"' in body
    assert "/*CONFIG*/" not in body


async def test_the_offline_page_is_served_and_says_so(web):
    resp = await web.get("/offline")
    assert resp.status == 200
    assert texts.OFFLINE_TITLE in (await resp.text()).replace("&#39;", "'")


async def test_pages_carry_the_offline_indicator_and_register_the_worker(web):
    page = await (await web.get("/help")).text()
    assert 'id="offline" role="status" hidden' in page
    assets = Assets()
    assert assets.url("app.js") in page
    script = assets.by_url(assets.url("app.js"))
    assert 'serviceWorker.register("/sw.js")' in script.body.decode()
