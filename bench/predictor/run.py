"""How well the engagement score predicts "this post beats the creator's median here".

A synthetic but realistic data set with KNOWN effects: creators with their own base
level and noise, posting at hours drawn from a weekly rhythm, titles of varied length
with or without a question, emoji or tag, 0-5 images, subreddits of different sizes.
Each post's log-score is the creator's base + the planted effects below + noise (Reddit
scores are heavy-tailed: log-normal). The label is score > that creator's median.

Printed side by side, on held-out posts (30% of each creator's):
- chance (always "above"): the 50% floor;
- time only: a logistic model on the hour's lift alone;
- transparent baseline: core.outcomes.predictor.BASELINE, not fitted;
- fitted: the same model refit on the training posts (core.outcomes.predictor.fit);
- ceiling: the planted effects themselves (what a perfect model could reach here);
and the fitted weights next to the planted effects (signs and order should match).

Run: `.venv/bin/python bench/predictor/run.py [--creators 40] [--posts 150] [--seed 7]`.
Published predictors reach about 60-67% on real Reddit data.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time

from core.outcomes.features import NAMES, Draft, vector
from core.outcomes.predictor import Model, fit

# Planted effects on log(score), by feature (0 = no effect): what the model should find.
PLANTED = {"title_fit": 0.6, "question": 0.4, "emoji": 0.0, "tag": 0.35, "hour_lift": 0.5,
           "weekend": 0.1, "images": 0.3, "nsfw": 0.0, "sub_size": 0.0, "past_median": 0.0}
WORDS = ("golden", "hour", "rooftop", "sunset", "red", "dress", "mirror", "coffee",
         "morning", "beach", "city", "lights")
Rows = list[tuple[list[float], bool]]


def hour_lift(hour: int, weekday: int) -> float:
    """A weekly rhythm: evenings peak, nights are dead, weekends a little busier."""
    evening = math.exp(-0.5 * ((hour - 20) / 2.5) ** 2)
    morning = 0.5 * math.exp(-0.5 * ((hour - 9) / 2.0) ** 2)
    return 0.4 + 1.6 * (evening + morning) + (0.1 if weekday >= 5 else 0.0)


def make_post(rng: random.Random, nsfw: bool, subscribers: int, median: float) -> Draft:
    n_words = max(1, int(rng.lognormvariate(2.0, 0.6)))
    title = " ".join(rng.choice(WORDS) for _ in range(n_words))
    if rng.random() < 0.2:
        title += "?"
    if rng.random() < 0.3:
        title += " 🌅"
    if rng.random() < 0.4:
        title = "[OC] " + title
    hour, weekday = rng.randrange(24), rng.randrange(7)
    return Draft(title=title, hour_lift=hour_lift(hour, weekday), weekend=weekday >= 5,
                 images=rng.choice((0, 1, 1, 1, 2, 3, 5)), nsfw=nsfw,
                 subscribers=subscribers, past_median=median)


def log_score(x: list[float], base: float, noise: float, rng: random.Random) -> float:
    return base + sum(PLANTED[n] * v for n, v in zip(NAMES, x, strict=True)) + \
        rng.gauss(0.0, noise)


def data(creators: int, posts: int, seed: int) -> tuple[Rows, Rows, float]:
    rng = random.Random(seed)
    train: Rows = []
    test: Rows = []
    oracle: list[bool] = []
    for _ in range(creators):
        base, noise = rng.uniform(1.0, 4.0), rng.uniform(0.9, 1.3)
        nsfw, subscribers = rng.random() < 0.5, int(10 ** rng.uniform(3.5, 6.5))
        median_guess = math.exp(base + 0.8)
        rows = []
        for _ in range(posts):
            x = vector(make_post(rng, nsfw, subscribers, median_guess))
            rows.append((x, log_score(x, base, noise, rng)))
        cut = statistics.median(s for _, s in rows)
        labelled = [(x, s > cut) for x, s in rows]
        rng.shuffle(labelled)
        split = int(0.7 * len(labelled))
        train += labelled[:split]
        test += labelled[split:]
        # The ceiling: knowing the planted effects exactly, only the noise is unknown.
        signal = [sum(PLANTED[n] * v for n, v in zip(NAMES, x, strict=True))
                  for x, _ in labelled[split:]]
        mid = statistics.median(signal)
        oracle += [(sig > mid) == y for sig, (_, y) in zip(signal, labelled[split:],
                                                           strict=True)]
    return train, test, sum(oracle) / len(oracle)


def accuracy(model: Model, rows: Rows) -> float:
    return sum((model.probability(x) > 0.5) == y for x, y in rows) / len(rows)


def time_only(train: Rows, test: Rows) -> float:
    i = NAMES.index("hour_lift")
    keep = [([x[i]], y) for x, y in train]
    zero = Model(0.0, (0.0,))
    model = fit(keep, zero, steps=300) if keep else zero
    return accuracy(model, [([x[i]], y) for x, y in test])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=40)
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    train, test, ceiling = data(args.creators, args.posts, args.seed)
    started = time.perf_counter()
    fitted = fit(train)
    took = time.perf_counter() - started
    print(f"posts: {len(train)} to fit, {len(test)} held out "
          f"({args.creators} creators x {args.posts})")
    print(f"{'predictor':<24}{'held-out accuracy':>18}")
    print(f"{'chance (floor)':<24}{sum(y for _, y in test) / len(test):>17.1%}")
    print(f"{'time only':<24}{time_only(train, test):>17.1%}")
    print(f"{'transparent baseline':<24}{accuracy(Model.baseline(), test):>17.1%}")
    print(f"{'fitted':<24}{accuracy(fitted, test):>17.1%}   (fit in {took:.2f} s)")
    print(f"{'ceiling (true effects)':<24}{ceiling:>17.1%}")
    print()
    print(f"{'feature':<14}{'planted':>9}{'baseline':>10}{'fitted':>9}")
    base = Model.baseline()
    for name, b, w in zip(NAMES, base.weights, fitted.weights, strict=True):
        print(f"{name:<14}{PLANTED[name]:>9.2f}{b:>10.2f}{w:>9.2f}")
    planted = [n for n in NAMES if PLANTED[n] > 0]
    found = sorted(NAMES, key=lambda n: -fitted.weights[NAMES.index(n)])[:len(planted)]
    print(f"\nplanted effects recovered (top {len(planted)} fitted weights are the planted "
          f"ones): {len(set(found) & set(planted))}/{len(planted)}")


if __name__ == "__main__":
    main()
