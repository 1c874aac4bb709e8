"""`auth`: core.auth wired to the test `core` (real database, fake clock)."""

import pytest

from core.auth.service import Auth


@pytest.fixture
def auth(core):
    return Auth.from_core(core)
