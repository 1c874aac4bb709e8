"""Which variant a user sees: a pure function of (experiment, user id, weights).

SHA-256 of "<experiment>:<user id>" read as a number in [0, 1) picks a slot on the
cumulative weights. No Python `hash()` (salted per process) and nothing stored: every
process, before and after a restart, puts a user in the same variant. Hashing the
experiment's name too keeps one user's variants independent across experiments.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

SCALE = float(1 << 64)


def bucket(experiment: str, user_id: int) -> float:
    """A uniform number in [0, 1) fixed for this user in this experiment."""
    digest = hashlib.sha256(f"{experiment}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / SCALE


def variant_for(experiment: str, user_id: int, weights: Mapping[str, float]) -> str:
    """The variant of `user_id`, each chosen with probability weight / total."""
    total = sum(weights.values())
    point = bucket(experiment, user_id) * total
    upto = 0.0
    name = ""
    for name, weight in weights.items():
        upto += weight
        if point < upto:
            return name
    return name  # rounding at the very top of the range lands in the last variant
