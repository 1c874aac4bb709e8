"""Two-proportion comparison for an A/B report, in plain `math` (no scipy).

For control x1/n1 and variant x2/n2 (conversions / exposures):

* uplift: p2 - p1 absolute, (p2 - p1) / p1 relative (None when p1 is 0);
* 95% confidence interval of p2 - p1 with the unpooled (Wald) standard error
  sqrt(p1(1-p1)/n1 + p2(1-p2)/n2);
* z = (p2 - p1) / sqrt(p(1-p)(1/n1 + 1/n2)) with the pooled p = (x1+x2)/(n1+n2), and
  its two-sided p-value 2(1 - Phi(|z|)), Phi from `math.erf`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # Phi^-1(0.975)


def normal_cdf(z: float) -> float:
    """Phi(z), the standard normal distribution function."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def two_sided_p(z: float) -> float:
    """P(|Z| >= |z|). erfc(x) = 1 - erf(x), kept accurate far out in the tail."""
    return math.erfc(abs(z) / math.sqrt(2.0))


@dataclass(frozen=True)
class Comparison:
    control_rate: float
    rate: float
    uplift: float  # rate - control_rate
    relative_uplift: float | None  # uplift / control_rate
    ci_low: float
    ci_high: float
    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


def compare(x1: int, n1: int, x2: int, n2: int) -> Comparison | None:
    """Variant (x2 of n2) against control (x1 of n1); None while either is empty."""
    if n1 <= 0 or n2 <= 0 or not (0 <= x1 <= n1 and 0 <= x2 <= n2):
        return None
    p1, p2 = x1 / n1, x2 / n2
    diff = p2 - p1
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    pooled = (x1 + x2) / (n1 + n2)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = diff / se0 if se0 > 0 else 0.0
    return Comparison(
        control_rate=p1, rate=p2, uplift=diff,
        relative_uplift=diff / p1 if p1 > 0 else None,
        ci_low=diff - Z_95 * se, ci_high=diff + Z_95 * se,
        z=z, p_value=two_sided_p(z) if se0 > 0 else 1.0)
