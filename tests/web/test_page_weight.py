"""The performance budget (issue 11.6): no page loads more than 50 KB of JS + CSS,
gzipped. Every script and stylesheet we serve together stays under it, so any page
does; `bench/web` prints what each page actually loads."""

import gzip

from web.assets import Assets

BUDGET = 50 * 1024


def test_all_our_scripts_and_styles_together_fit_the_page_budget():
    assets = Assets()
    total = 0
    for name in assets.names():
        if name.endswith((".js", ".css")):
            asset = assets.by_url(assets.url(name))
            assert asset is not None
            total += len(asset.gzipped or gzip.compress(asset.body, 9))
    assert total <= BUDGET, f"{total} bytes of gzipped JS+CSS"

