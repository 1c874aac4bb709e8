"""PostgreSQL databases reused between the tests of one test process, emptied in between.

Copying the migrated template for every test (CREATE DATABASE ... TEMPLATE, then DROP)
cost about half a second of server time per PostgreSQL test, minutes of the suite. A
test process runs one test at a time, so it keeps its copy and, after each test, puts
it back as the template has it:

* every other connection to it is ended (so LISTENs, session advisory locks, temporary
  tables, prepared statements and open transactions end with their sessions);
* no row of its catalogs may have been written since it was copied or last put back
  (no table, column, index, constraint, function, trigger, type, view, extension,
  comment, privilege or large object was added, changed or dropped), and its Alembic
  revision, prepared transactions and database settings must be the template's;
* every table with pages on disk (one that was written to) loses its rows (DELETE with
  foreign-key triggers off: all of them go) and is VACUUMed, which gives the pages back,
  so the table is empty on disk like the template's and later rows are stored, and come
  back from a scan, in the order they are written, as in a fresh copy; every sequence
  is set back to the template's value. (TRUNCATE ... CASCADE does the same but costs
  as much as the copy: touching `users` truncates some 40 tables.)
* no table may then have a page on disk, nor a sequence differ from the template's.

Whatever fails (a test dropped or altered the database, a migration spec stopped half
way down, a connection would not end), the copy is dropped and the next test gets a
fresh one. So no test sees another test's rows, and none depends on which ran before.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import asyncpg
from sqlalchemy.engine import make_url

from tests.fakes.databases import admin, asyncpg_dsn

log = logging.getLogger(__name__)

# Every catalog of the database but statistics and large-object data: a row in one of
# them written after a copy was made (or last put back) means the schema, a function,
# a type, a comment, a privilege, a large object ... changed. A catalog row keeps its
# xmin however old (freezing marks, never rewrites, it), and VACUUM's statistics are
# updated in place, so only changes count.
CATALOGS = """
SELECT string_agg(format('SELECT xmin FROM pg_catalog.%I', relname), ' UNION ALL ')
  FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r'
   AND NOT relisshared
   AND relname NOT IN ('pg_statistic', 'pg_statistic_ext_data', 'pg_largeobject')
"""

# The next transaction id: every transaction that starts later has this one or a newer.
NEXT_XID = "SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::text"

# What else a copy must not carry: the Alembic revision, prepared transactions, and
# database-level settings (the last two live in shared catalogs).
STATE = """
SELECT (SELECT array_agg(version_num ORDER BY version_num) FROM public.alembic_version)::text,
       (SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database())
     + (SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
         WHERE d.datname = current_database())
"""

# Tables with pages on disk: every table in a fresh copy has none.
WRITTEN = """
SELECT c.relname FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind::text = 'r'
   AND c.relname <> 'alembic_version' AND pg_relation_size(c.oid) > 0
 ORDER BY 1
"""

SEQUENCES = """
SELECT sequencename, coalesce(last_value, start_value), last_value IS NOT NULL
  FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename
"""

END_OTHERS = """
SELECT pg_terminate_backend(pid, 60000) FROM pg_stat_activity
 WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class ReusedDatabases:
    """One test process's copies of `template` on `base`'s server."""

    base: str
    template: str
    free: list[str] = field(default_factory=list)
    _changed: str | None = None  # the catalog query; None: never reuse (seeded template)
    _state: tuple[str, int] | None = None
    _sequences: list[tuple[str, int, bool]] = field(default_factory=list)
    _since: dict[str, str] = field(default_factory=dict)  # copy -> NEXT_XID when clean

    async def start(self) -> None:
        """Read the template's state. Copies are reused only if no table of it has pages
        (a migration that seeds rows would need them put back, which this does not do)."""
        conn = await asyncpg.connect(asyncpg_dsn(self.base, self.template))
        try:
            written = await conn.fetch(WRITTEN)
            catalogs = await conn.fetchval(CATALOGS)
            self._state = tuple(await conn.fetchrow(STATE))
            self._sequences = [tuple(row) for row in await conn.fetch(SEQUENCES)]
        finally:
            await conn.close()
        if written:
            log.warning("template has pages in %s: every test gets a fresh copy", written)
        else:
            self._changed = (f"SELECT count(*) FROM ({catalogs}) AS c(x) "
                             "WHERE age(x) <= age($1::text::xid)")

    @asynccontextmanager
    async def database(self) -> AsyncIterator[str]:
        """A copy of the template for one test, as the template is."""
        name = self.free.pop() if self.free else await self._copy()
        try:
            yield make_url(self.base).set(database=name).render_as_string(hide_password=False)
        finally:
            if await self._reset(name):
                self.free.append(name)
            else:
                await self._drop(name)

    async def close(self) -> None:
        while self.free:
            await self._drop(self.free.pop())

    async def _copy(self) -> str:
        name = f"tp_{uuid.uuid4().hex[:12]}"
        conn = await asyncpg.connect(asyncpg_dsn(self.base))
        try:
            await conn.execute(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(self.template)}")
            self._since[name] = await conn.fetchval(NEXT_XID)
        finally:
            await conn.close()
        return name

    async def _drop(self, name: str) -> None:
        self._since.pop(name, None)
        await admin(self.base, f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")

    async def _reset(self, name: str) -> bool:
        """Put copy `name` back as the template is; False if it cannot be (drop it)."""
        if self._changed is None:
            return False
        try:
            conn = await asyncpg.connect(asyncpg_dsn(self.base, name))
        except (OSError, asyncpg.PostgresError):
            return False
        try:
            if not all(ended for ended, in await conn.fetch(END_OTHERS)):
                return False
            if (await conn.fetchval(self._changed, self._since[name])
                    or tuple(await conn.fetchrow(STATE)) != self._state):
                return False
            written = [_quote(table) for table, in await conn.fetch(WRITTEN)]
            if written:
                async with conn.transaction():
                    await conn.execute("SET LOCAL session_replication_role = replica")
                    await conn.execute("".join(f"DELETE FROM {t};" for t in written))
                await conn.execute("VACUUM " + ", ".join(written))
            if self._sequences:
                await conn.execute("SELECT " + ", ".join(
                    f"setval('public.{_quote(seq)}', {value}, {called})"
                    for seq, value, called in self._sequences))
            sequences = [tuple(row) for row in await conn.fetch(SEQUENCES)]
            self._since[name] = await conn.fetchval(NEXT_XID)
            return sequences == self._sequences and not await conn.fetch(WRITTEN)
        except asyncpg.PostgresError as exc:
            log.info("database %s not reusable (%s): dropped", name, exc)
            return False
        finally:
            await conn.close()
