"""Database problems an operator must fix before anything can run.

Each is raised with one human line naming the problem and the fix, so every front
door (the CLI prints it and exits 2) can show it without a traceback.
"""

from __future__ import annotations


class DatabaseSetupError(Exception):
    """The database cannot be opened or used as configured; `str()` is one line."""
