"""The engagement score of a draft: will it beat this creator's median here?

A logistic model over `core.outcomes.features`. It starts from a transparent baseline
(BASELINE, hand-set from what creators are told: titles that fit, questions and tags
invite votes, the right hour matters most) and, once a creator has enough outcomes, is
refit on them: L2-regularised towards the baseline, so a handful of posts nudges it and
hundreds decide it. Pure Python: ten weights and a few hundred rows need no ML stack.

The score is never shown bare: `explain` names the two or three features that move it
most for this draft, with their direction.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from core.outcomes.features import NAMES, Draft, vector

BASELINE: dict[str, float] = {
    "bias": -0.6, "title_fit": 0.6, "question": 0.3, "emoji": 0.1, "tag": 0.3,
    "hour_lift": 1.0, "weekend": 0.1, "images": 0.2, "nsfw": 0.0, "sub_size": 0.0,
    "past_median": 0.0,
}
MIN_OUTCOMES = 20  # below this the baseline is used as it is
PULL = 2.0  # L2 strength towards the baseline (per feature, scaled by 1/n)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Model:
    bias: float
    weights: tuple[float, ...]  # in NAMES order
    fitted_on: int = 0  # outcomes it was refit on; 0 = the baseline

    @classmethod
    def baseline(cls) -> Model:
        return cls(BASELINE["bias"], tuple(BASELINE[n] for n in NAMES))

    def probability(self, x: Sequence[float]) -> float:
        return _sigmoid(self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True)))

    def score(self, draft: Draft) -> int:
        """0-100: the chance, in percent, that the draft beats the creator's median."""
        return round(100 * self.probability(vector(draft)))


def fit(rows: Sequence[tuple[Sequence[float], bool]], prior: Model | None = None, *,
        steps: int = 400, rate: float = 0.5) -> Model:
    """Refit on (features, beat-the-median) rows by gradient descent on the regularised
    log loss; fewer than MIN_OUTCOMES rows return the prior unchanged."""
    prior = prior or Model.baseline()
    n = len(rows)
    if n < MIN_OUTCOMES:
        return prior
    bias, w = prior.bias, list(prior.weights)
    pull = PULL / n
    for _ in range(steps):
        gb, gw = 0.0, [0.0] * len(w)
        for x, y in rows:
            err = _sigmoid(bias + sum(wi * xi for wi, xi in zip(w, x, strict=True))) - y
            gb += err
            for i, xi in enumerate(x):
                gw[i] += err * xi
        bias -= rate * gb / n
        for i in range(len(w)):
            w[i] -= rate * (gw[i] / n + pull * (w[i] - prior.weights[i]))
    return Model(bias, tuple(w), fitted_on=n)


@dataclass(frozen=True)
class Reason:
    feature: str
    effect: float  # change in log-odds against an "average" draft; + helps, - hurts


# What an average draft looks like, feature by feature (the reference for reasons).
TYPICAL = vector(Draft(title="x" * 50, hour_lift=1.0, images=1, subscribers=100_000,
                       past_median=20))


def explain(model: Model, draft: Draft, top: int = 3) -> list[Reason]:
    """The features that move this draft's score most, strongest first."""
    x = vector(draft)
    effects = [Reason(name, w * (xi - ti))
               for name, w, xi, ti in zip(NAMES, model.weights, x, TYPICAL, strict=True)]
    ranked = sorted((r for r in effects if abs(r.effect) >= 0.05),
                    key=lambda r: -abs(r.effect))
    return ranked[:top]
