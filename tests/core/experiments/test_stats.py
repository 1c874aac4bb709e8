"""The report's significance maths against published and hand-computed values."""

from __future__ import annotations

import math

import pytest

from core.experiments.stats import Z_95, compare, normal_cdf, two_sided_p


def test_the_z_test_matches_a_published_worked_example():
    """Homework worked example "Find the test statistic z for the following situation"
    (homeworksource.com/p/1008622): 140 of 200 against 255 of 340 gives pooled
    p = 0.7314815, SE = 0.03949401 and z = -1.266015 for p1 - p2 (our variant is the
    second sample, so z has the opposite sign). That page's p-value (0.1030278) reads a
    t distribution with 538 df; the z-test's normal tail, from a standard normal table
    between z = 1.26 (0.1038) and 1.27 (0.1020), is 0.10275 one-sided, 0.20551 two-sided."""
    result = compare(140, 200, 255, 340)
    assert result is not None
    assert result.z == pytest.approx(1.266015, abs=1e-6)
    assert result.p_value == pytest.approx(0.20551, abs=1e-5)
    assert result.uplift == pytest.approx(0.05)
    assert result.relative_uplift == pytest.approx(0.05 / 0.70)


def test_the_confidence_interval_matches_a_published_example():
    """OpenIntro Statistics (4th ed., §6.2.3), the CPR and blood-thinner study: 14 of 40
    survived with the treatment, 11 of 50 without; point estimate 0.13, SE 0.095, 90%
    interval (-0.026, 0.286). Hand-computed at 95%: SE = sqrt(.35*.65/40 + .22*.78/50)
    = 0.095496, so 0.13 -/+ 1.959964 * 0.095496 = (-0.05717, 0.31717)."""
    result = compare(11, 50, 14, 40)
    assert result is not None
    se = (result.ci_high - result.ci_low) / (2 * Z_95)
    assert se == pytest.approx(0.095, abs=5e-4)
    assert (result.uplift - 1.6449 * se, result.uplift + 1.6449 * se) == pytest.approx(
        (-0.027, 0.287), abs=2e-3)
    assert (result.ci_low, result.ci_high) == pytest.approx((-0.05717, 0.31717), abs=1e-5)


@pytest.mark.parametrize(("z", "phi"), [
    (-3.0, 0.00135), (-1.0, 0.15866), (0.0, 0.5), (0.5, 0.69146), (1.0, 0.84134),
    (1.645, 0.95002), (2.33, 0.99010), (3.49, 0.99976),
])
def test_phi_from_math_erf_matches_the_standard_normal_table(z: float, phi: float):
    """Values from any printed standard normal table (e.g. OpenIntro Statistics,
    Appendix C.1), given there to 4-5 decimals."""
    assert normal_cdf(z) == pytest.approx(phi, abs=6e-6)


def test_the_textbook_critical_values_give_their_p_values():
    """z = 1.96 and 2.576 are the two-sided 5% and 1% critical values."""
    assert two_sided_p(1.959963984540054) == pytest.approx(0.05, abs=1e-12)
    assert two_sided_p(-2.5758293035489) == pytest.approx(0.01, abs=1e-12)
    assert normal_cdf(Z_95) == pytest.approx(0.975, abs=1e-15)


def test_equal_rates_are_no_evidence_at_all():
    result = compare(30, 300, 10, 100)
    assert result is not None
    assert result.z == 0.0
    assert result.p_value == pytest.approx(1.0)
    assert result.ci_low < 0 < result.ci_high
    assert not result.significant


def test_a_large_clear_difference_is_significant():
    """Hand-computed: 100/1000 vs 150/1000, pooled p = 0.125, SE0 = sqrt(.125*.875*.002)
    = 0.0147902, z = 0.05 / 0.0147902 = 3.3806, two-sided p = 0.000723."""
    result = compare(100, 1000, 150, 1000)
    assert result is not None
    assert result.z == pytest.approx(3.3806, abs=1e-4)
    assert result.p_value == pytest.approx(0.000723, abs=5e-6)
    assert result.significant


def test_no_comparison_while_a_variant_has_no_exposures():
    assert compare(0, 0, 3, 10) is None
    assert compare(3, 10, 0, 0) is None


def test_no_relative_uplift_from_a_control_that_never_converted():
    result = compare(0, 50, 5, 50)
    assert result is not None
    assert result.relative_uplift is None
    assert math.isfinite(result.z)
