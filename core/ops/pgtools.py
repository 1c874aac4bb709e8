"""pg_dump and pg_restore, run as child processes against the configured database.

The password goes to the child in PGPASSWORD, never on its command line (which any
local user can read in the process list).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from core.ops.errors import OpsError

INSTALL_HINT = ("install the PostgreSQL client tools (e.g. `apt install postgresql-client`), "
                "the same major version as the server or newer")


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """(a libpq connection URI without the password, the child's environment)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    query = dict(parsed.query)
    if "ssl" in query:  # asyncpg's spelling
        query["sslmode"] = query.pop("ssl")
    # (URL.set(password=None) would keep the password: None there means "unchanged".)
    target = URL.create("postgresql", username=parsed.username, host=parsed.host,
                        port=parsed.port, database=parsed.database, query=query)
    return target.render_as_string(hide_password=False), env


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise OpsError(f"{name} was not found on PATH: {INSTALL_HINT}")
    return found


async def _exec(name: str, args: tuple[str | Path, ...], env: dict[str, str] | None,
                failed: str, code: str) -> str:
    """Run `name`; its stdout, or OpsError "<name> <failed>: <first line of its complaint,
    else `code`>" (`code` may hold {rc})."""
    proc = await asyncio.create_subprocess_exec(
        tool(name), *map(str, args), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    if proc.returncode != 0:
        lines = [ln for ln in err.decode(errors="replace").splitlines() if ln.strip()]
        raise OpsError(f"{name} {failed}: "
                       f"{lines[0] if lines else code.format(rc=proc.returncode)}")
    return out.decode(errors="replace")


async def run(name: str, *args: str | Path, url: str) -> str:
    """Run `name` with `args` (the database as `-d`); its stdout, or OpsError with
    the first line of its complaint."""
    dsn, env = libpq_target(url)
    return await _exec(name, ("-d", dsn, *args), env, "failed", "exit {rc}")


async def run_file(name: str, *args: str | Path) -> str:
    """Run a tool that only reads a file (pg_restore --list); no database."""
    return await _exec(name, args, None, "cannot read it", "{rc}")
