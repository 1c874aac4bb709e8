"""/admin/experiments: each configured experiment's report, as a small table.

Admins only (`web.admin.require_admin`: others get the sign-in page or a 404). Every
variant is compared with the control: conversion, absolute and relative uplift, the
95% confidence interval of the difference and the two-proportion z-test's p-value.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.experiments.service import Report
from web.admin import admin_reading
from web.keys import CORE_KEY
from web.render import render


def _pct(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:+.2f}%" if signed else f"{value * 100:.2f}%"


def _pp(value: float) -> str:
    """A difference of two rates, in percentage points."""
    return f"{value * 100:+.2f} pp"


def rows_of(report: Report) -> list[dict[str, Any]]:
    rows = []
    for v in report.variants:
        c = v.vs_control
        rows.append({
            "name": v.name, "control": v.name == report.control, "weight": f"{v.weight:g}",
            "exposures": v.exposures, "conversions": v.conversions, "rate": _pct(v.rate),
            "uplift": _pp(c.uplift) if c else "–",
            "relative": _pct(c.relative_uplift, signed=True) if c else "–",
            "ci": f"{_pp(c.ci_low)} … {_pp(c.ci_high)}" if c else "–",
            "p": f"{c.p_value:.4f}" if c else "–",
            "significant": bool(c and c.significant),
        })
    return rows


async def show(request: web.Request) -> web.Response:
    core = request.app[CORE_KEY]
    async with admin_reading(request) as (_, session):
        reports = await core.billing.experiments.reports(session)
    experiments = [{"name": r.experiment, "description": r.description, "active": r.active,
                    "rows": rows_of(r)} for r in reports]
    return await render(request, "admin_experiments.html", page_title="Experiments",
                        experiments=experiments)


def setup(app: web.Application) -> None:
    app.router.add_get("/admin/experiments", show)
