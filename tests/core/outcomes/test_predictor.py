"""The engagement model: a transparent start, a refit that finds real effects, reasons."""

from __future__ import annotations

import random

from core.outcomes.features import NAMES, Draft, title_fit, vector
from core.outcomes.predictor import MIN_OUTCOMES, Model, explain, fit


def test_title_fit_is_full_in_the_sweet_spot_and_falls_off_outside():
    assert title_fit("x" * 50) == 1.0
    assert title_fit("x" * 15) == 0.5
    assert title_fit("x" * 195) == 0.5  # halfway from 90 to 300 characters
    assert title_fit("") == 0.0


def test_the_baseline_prefers_a_fitting_question_at_a_good_hour():
    good = Draft(title="Golden hour on the rooftop, who else loves this light?",
                 hour_lift=1.8, images=1)
    weak = Draft(title="hi", hour_lift=0.5, images=1)
    model = Model.baseline()
    assert model.score(good) > 50 > model.score(weak)


def test_reasons_name_what_moves_this_draft_most_with_its_direction():
    draft = Draft(title="hi", hour_lift=0.4)
    reasons = explain(Model.baseline(), draft)
    assert [r.feature for r in reasons][:2] == ["hour_lift", "title_fit"]
    assert all(r.effect < 0 for r in reasons[:2])
    assert len(reasons) <= 3


def test_too_few_outcomes_keep_the_baseline():
    rows = [(vector(Draft(title="t")), True)] * (MIN_OUTCOMES - 1)
    assert fit(rows) == Model.baseline()


def test_a_refit_recovers_planted_effects():
    rng = random.Random(1)
    rows = []
    for _ in range(600):
        question, emoji = rng.random() < 0.5, rng.random() < 0.5
        draft = Draft(title="a title of a decent length here" + ("?" if question else "")
                      + (" 🌅" if emoji else ""), hour_lift=rng.uniform(0.5, 2.0))
        logit = 1.5 * question - 0.2 + rng.gauss(0, 1.0)  # questions matter, emoji don't
        rows.append((vector(draft), logit > 0))
    model = fit(rows)
    weight = dict(zip(NAMES, model.weights, strict=True))
    assert model.fitted_on == 600
    assert weight["question"] > 1.0 > abs(weight["emoji"])
