"""The one error of core.ops: `str()` is one line naming the problem and the fix."""

from __future__ import annotations


class OpsError(Exception):
    """A backup or restore cannot go ahead; the message says why and what to do."""
