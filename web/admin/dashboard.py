"""/admin: the founders' dashboard (admins only, `web.admin.require_admin`).

Active users, the funnel, weekly retention, feature adoption, revenue and the tracked
errors, from `core.analytics`, drawn as server-rendered SVG (`web.admin.charts`).
"""

from __future__ import annotations

from aiohttp import web
from markupsafe import Markup

from core.analytics.service import Dashboard
from web.admin import charts, require_admin
from web.keys import CORE_KEY
from web.render import render


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _charts(board: Dashboard) -> dict[str, Markup]:
    rev = board.revenue
    return {
        "daily": charts.columns([(d.strftime("%m-%d"), n) for d, n in board.daily],
                                title="Daily active users, last 30 days"),
        "funnel": charts.rows([(s.name, s.users) for s in board.funnel],
                              title="Funnel: users who reached each stage"),
        "adoption": charts.rows([(f, n) for f, n, _ in board.adoption],
                                title="Users per feature, last 30 days"),
        "by_tier": charts.rows(sorted(rev.by_tier.items()), title="MRR by tier", fmt=_money),
        "by_provider": charts.rows(sorted(rev.by_provider.items()), title="MRR by provider",
                                   fmt=_money),
    }


async def dashboard(request: web.Request) -> web.Response:
    await require_admin(request)
    board = await request.config_dict[CORE_KEY].analytics.dashboard()
    return await render(request, "admin_dashboard.html", page_title="Dashboard",
                        board=board, charts=_charts(board), money=_money, percent=_percent,
                        headers={"Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    app.router.add_get("/admin", dashboard)
