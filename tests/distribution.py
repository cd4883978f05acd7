"""Do random draws follow a distribution? Pearson's chi-square test, for the tests of
samplers and random transforms (their streams are minitorch's, not torch's, so they are
checked for their distribution, not their digits).

The draws come from a fixed seed, so a test passes or fails the same way every run; the
significance (1e-4) only says how far from the expected counts a fair stream is allowed
to land before the test calls it wrong. The critical value is the Wilson-Hilferty
approximation of the chi-square quantile (no scipy needed).
"""
import math
from statistics import NormalDist

import numpy as np

SIGNIFICANCE = 1e-4


def chi_square_critical(degrees_of_freedom, significance=SIGNIFICANCE):
    """The chi-square statistic that a fair draw exceeds with probability `significance`."""
    z = NormalDist().inv_cdf(1 - significance)
    k = degrees_of_freedom
    return k * (1 - 2 / (9 * k) + z * math.sqrt(2 / (9 * k))) ** 3


def chi_square(counts, probabilities):
    """Pearson's statistic of observed counts against probabilities (scaled to sum 1), and
    its degrees of freedom. A count where the probability is 0 is an outright failure."""
    counts = np.asarray(counts, dtype=float)
    probabilities = np.asarray(probabilities, dtype=float)
    probabilities = probabilities / probabilities.sum()
    impossible = probabilities == 0
    assert counts[impossible].sum() == 0, f"draws where the probability is 0: {counts[impossible]}"
    expected = probabilities[~impossible] * counts.sum()
    observed = counts[~impossible]
    return float(((observed - expected) ** 2 / expected).sum()), len(expected) - 1


def follows(counts, probabilities):
    """True when the counts fit the probabilities at the test's significance."""
    statistic, degrees_of_freedom = chi_square(counts, probabilities)
    return statistic < chi_square_critical(degrees_of_freedom)


def assert_follows(counts, probabilities):
    statistic, degrees_of_freedom = chi_square(counts, probabilities)
    critical = chi_square_critical(degrees_of_freedom)
    assert statistic < critical, (f"chi-square {statistic:.1f} >= {critical:.1f} "
                                  f"({degrees_of_freedom} degrees of freedom): counts {counts}")


def assert_uniform(values, low, high, bins=10, tolerance=0.0):
    """values spread evenly over [low, high): each of `bins` equal bins gets its share.
    Values rounded after their draw may stray `tolerance` outside; they count in the end
    bins, where they were drawn."""
    values = np.asarray(values, dtype=float)
    assert values.min() >= low - tolerance and values.max() <= high + tolerance, (values.min(), values.max())
    counts, _ = np.histogram(np.clip(values, low, high), bins=bins, range=(low, high))
    assert_follows(counts, np.ones(bins))
