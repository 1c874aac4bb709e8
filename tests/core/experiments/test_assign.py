"""Assignment: a pure function of user and experiment, spread as the weights say."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from core.experiments.assign import bucket, variant_for
from core.experiments.config import ExperimentSettings
from core.experiments.service import Experiments
from tests.fakes.clock import FakeClock

WEIGHTS = {"control": 1.0, "gain": 1.0, "momentum": 2.0}
ROOT = Path(__file__).parents[3]


def test_a_user_gets_the_same_variant_every_time():
    assert {variant_for("upgrade_prompt", 4242, WEIGHTS) for _ in range(5)} == {
        variant_for("upgrade_prompt", 4242, WEIGHTS)}


def test_another_process_with_another_hash_seed_assigns_the_same_variants():
    """No salted `hash()`: a restarted or second process puts everyone where we do."""
    here = [variant_for("upgrade_prompt", uid, WEIGHTS) for uid in range(1, 200)]
    code = ("from core.experiments.assign import variant_for; "
            f"print(','.join(variant_for('upgrade_prompt', u, {WEIGHTS!r}) "
            "for u in range(1, 200)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert out.stdout.strip().split(",") == here


def test_ten_thousand_users_split_as_the_weights_say():
    """Expected counts n*w with binomial sd sqrt(n*w*(1-w)); each count lies within 4 sd
    (for a fair hash that bound fails with probability ~6e-5 per variant; the hash is
    fixed, so this either always passes or always fails: never flaky)."""
    n = 10_000
    counts = Counter(variant_for("upgrade_prompt", uid, WEIGHTS) for uid in range(1, n + 1))
    total = sum(WEIGHTS.values())
    for name, weight in WEIGHTS.items():
        share = weight / total
        assert abs(counts[name] - n * share) <= 4 * math.sqrt(n * share * (1 - share)), name


def test_experiments_are_assigned_independently_of_each_other():
    """The experiment's name is hashed too: being in one experiment's first half says
    nothing about another's (agreement ~50%, within 4 binomial sd of 10,000)."""
    same = sum((bucket("a", uid) < 0.5) == (bucket("b", uid) < 0.5) for uid in range(10_000))
    assert abs(same - 5_000) <= 4 * math.sqrt(10_000 * 0.25)


def test_a_variant_with_all_the_weight_gets_everyone():
    weights = {"control": 1e-9, "only": 1.0}
    assert {variant_for("x", uid, weights) for uid in range(1, 1000)} == {"only"}


def test_an_inactive_or_unknown_experiment_shows_its_control():
    experiments = Experiments({"upgrade_prompt": ExperimentSettings(
        active=False, variants={"plain": 1.0, "bold": 9.0})}, FakeClock())
    assert {experiments.variant("upgrade_prompt", uid) for uid in range(50)} == {"plain"}
    assert experiments.variant("no_such_experiment", 1) == "control"
