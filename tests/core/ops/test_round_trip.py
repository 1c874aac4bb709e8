"""`backup` then `restore` gives back exactly what was backed up, on SQLite and on
PostgreSQL, and the restore itself can be undone from its "-before-restore" backup."""

from __future__ import annotations

from sqlalchemy import delete, update

from core.bootstrap import open_core
from core.db.models import User
from core.ops.backup import take_backup
from core.ops.restore import restore
from core.posting.models import PostTarget
from core.users import Who
from tests.core.ops.data import seed, snapshot


async def change_everything(settings, clock) -> dict[str, list[str]]:
    """Bob deleted, Alice renamed, her post's target gone, Carol new."""
    async with open_core(settings, clock=clock) as core, core.db.session() as session:
        await session.execute(delete(PostTarget))
        await session.execute(update(User).where(User.display_name == "Alice")
                              .values(display_name="Alicia"))
        await session.execute(delete(User).where(User.display_name == "Bob"))
        await core.users.get_or_create(session, Who("telegram", "3", "Carol"))
    return await snapshot(settings)


async def test_a_restored_backup_holds_exactly_what_was_backed_up(settings, clock):
    async with open_core(settings, clock=clock) as core:
        await seed(core)
    before = await snapshot(settings)
    assert all(before[table] for table in ("users", "post_jobs", "post_targets"))
    backup = await take_backup(settings, clock.now())

    changed = await change_everything(settings, clock)
    assert changed != before

    done = await restore(settings, backup.path, clock.now())

    assert await snapshot(settings) == before
    assert done.safety is not None


async def test_the_database_as_it_was_before_a_restore_can_be_restored(settings, clock):
    async with open_core(settings, clock=clock) as core:
        await seed(core)
    backup = await take_backup(settings, clock.now())
    changed = await change_everything(settings, clock)
    done = await restore(settings, backup.path, clock.now())
    assert done.safety is not None

    await restore(settings, done.safety.path, clock.now())

    assert await snapshot(settings) == changed
