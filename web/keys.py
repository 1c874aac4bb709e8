"""Typed application state keys (aiohttp `AppKey`)."""

from __future__ import annotations

import jinja2
from aiohttp import web

from core.auth.service import Auth
from core.bootstrap import Core
from core.signing import Signer
from web.assets import Assets

CORE_KEY = web.AppKey("core", Core)
TEMPLATES_KEY = web.AppKey("templates", jinja2.Environment)

# Web companion pages (issue 11): fingerprinted static files, the signer for CSRF tokens.
ASSETS_KEY = web.AppKey("assets", Assets)
SIGNER_KEY = web.AppKey("signer", Signer)
AUTH_KEY = web.AppKey("auth", Auth)
