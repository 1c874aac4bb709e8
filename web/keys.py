"""Typed application state keys (aiohttp `AppKey`)."""

from __future__ import annotations

import jinja2
from aiohttp import web

from core.bootstrap import Core

CORE_KEY = web.AppKey("core", Core)
TEMPLATES_KEY = web.AppKey("templates", jinja2.Environment)
