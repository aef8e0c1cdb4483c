"""Exact and Monte-Carlo tests for small tables, where the chi-square approximation fails.

Cochran's (1954) rule decides when that is: any expected count below 1, or more than 20%
of the expected counts below 5 (:func:`needs_exact`). Then:

* 2 x 2: Fisher's exact test (``scipy.stats.fisher_exact``; R ``fisher.test``);
* r x c: Fisher's exact test by full enumeration of the tables with the observed margins
  when there are few enough of them, else a Monte-Carlo p-value over tables with fixed
  margins drawn by ``scipy.stats.random_table`` (Patefield's algorithm, as R's
  ``r2dtable``); and the Monte-Carlo p-value of Pearson's X^2 (R ``chisq.test(...,
  simulate.p.value = TRUE)``).

Monte-Carlo results are deterministic: the random generator is seeded from the table
itself, so the same table always gets the same p-value, in any run and on any machine.

Monte-Carlo tables are drawn in batches of :data:`BATCH`, and drawing stops early once the
p-value is clearly above :data:`STOP_ABOVE` (0.2): when the one-sided Clopper-Pearson
lower bound of the simulated p, at error :data:`STOP_ERROR` (1e-6) per look, exceeds it.
Corrections for multiple comparisons only raise p-values, so such a test cannot become
significant at any level up to 0.2, however many tables were drawn; its p-value is then
known to within about 0.015 (at least 1,000 tables), which is all a p above 0.2 needs. A
table whose p is below 0.2 is stopped with probability below 2e-5, and one below 0.1
practically never, so small p-values keep every resample, drawn from the same stream as
without early stopping, and are unchanged. Stopping at a random time does not spoil the
p-value: it is only ever stopped above 0.2, so ``P(p <= a) <= a`` still holds for every
level ``a`` below that. ``ExactResult.resamples`` records the tables actually drawn.

References
----------
Cochran, W. G. (1954). Some methods for strengthening the common chi-square tests.
*Biometrics* 10, 417-451.
Fisher, R. A. (1935). The logic of inductive inference. *JRSS* 98, 39-82.
Patefield, W. M. (1981). Algorithm AS 159. *Applied Statistics* 30, 91-97.
Hope, A. C. A. (1968). A simplified Monte Carlo significance test procedure. *JRSS B* 30,
582-598. (The ``(1 + hits) / (B + 1)`` p-value.)
Besag, J. & Clifford, P. (1991). Sequential Monte Carlo p-values. *Biometrika* 78,
301-304. (Stopping early when the p-value is clearly large.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.special import gammaln

# R's tolerances: tables within a relative 1e-7 of the observed probability count as "as
# extreme" (floating-point ties; fisher.test), and 64 machine epsilons for simulated
# chi-square statistics (chisq.test).
_REL_TOL = 1e-7
_ALMOST_ONE = 1 - 64 * np.finfo(float).eps

#: Monte-Carlo tables drawn between looks at the running p-value.
BATCH = 1_000
#: Stop drawing once the p-value is shown to be above this (no level in use is higher).
STOP_ABOVE = 0.2
#: Chance, at each look, of stopping a test whose p-value is in fact at or below STOP_ABOVE.
STOP_ERROR = 1e-6


def needs_exact(expected: np.ndarray) -> np.ndarray:
    """Cochran's rule: True where any expected count < 1 or more than 20% are < 5.

    Parameters
    ----------
    expected
        ``(..., rows, cols)`` expected counts (e.g. ``scipy.stats.contingency.expected_freq``).
        Cells of empty rows or columns (expected 0) are ignored, as the test drops them.
    """
    e = np.asarray(expected, dtype=np.float64)
    live = e > 0
    low1 = ((e < 1) & live).any(axis=(-2, -1))
    share5 = ((e < 5) & live).sum(axis=(-2, -1)) / np.maximum(live.sum(axis=(-2, -1)), 1)
    return low1 | (share5 > 0.2)


def table_seed(table: np.ndarray) -> np.random.SeedSequence:
    """A seed that depends only on the table's shape and counts."""
    t = np.asarray(table, dtype=np.int64)
    return np.random.SeedSequence([*t.shape, *t.ravel().tolist()])


def _drop_empty(table: np.ndarray) -> np.ndarray:
    t = np.asarray(table)
    if (t < 0).any() or not np.all(np.equal(np.mod(t, 1), 0)):
        raise ValueError("a contingency table holds non-negative whole counts")
    t = t.astype(np.int64)
    return t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]


def _log_prob_const(rows: np.ndarray, cols: np.ndarray) -> float:
    """``log(prod r_i! prod c_j! / n!)``: a table's log probability plus its ``sum log x!``."""
    return float(gammaln(rows + 1).sum() + gammaln(cols + 1).sum() - gammaln(rows.sum() + 1))


def _log_prob(tables: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Log hypergeometric probability of tables (last two axes) given the margins."""
    t = np.asarray(tables, dtype=np.int64)
    log_fact = gammaln(np.arange(int(t.max(initial=0)) + 1, dtype=np.float64) + 1)
    return _log_prob_const(rows, cols) - log_fact[t].sum(axis=(-2, -1))


def _enumerate(rows: np.ndarray, cols: np.ndarray, limit: int, *,
               keep_tables: bool = False) -> np.ndarray | None:
    """Every table with the given margins, built breadth-first with numpy; None if there
    are more than ``limit``.

    Cells are filled column by column, top to bottom; a cell's range leaves the cells below
    it able to take the rest of the column, and the last column is what remains of the row
    totals. Every partial table therefore completes to at least one table, so the count of
    partial tables never falls, and the work stops as soon as it passes ``limit``: an
    impossible enumeration costs at most ``limit`` rows of array work, not a recursion
    through ``limit`` tables.

    Returns
    -------
    numpy.ndarray or None
        ``sum(log x_ij!)`` of every table, ``(count,)``; with ``keep_tables`` the tables
        themselves, ``(count, r, c)``.
    """
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    r, c = len(rows), len(cols)
    log_fact = gammaln(np.arange(rows.sum() + 1, dtype=np.float64) + 1)
    remaining = rows[None, :].copy()       # row totals still to place, per partial table
    acc = np.zeros(1)                      # sum of log x! of the cells placed so far
    cells = np.zeros((1, r, c), dtype=np.int64) if keep_tables else None
    for j in range(c - 1):
        left = np.full(len(remaining), cols[j], dtype=np.int64)  # column total to place
        for i in range(r - 1):
            below = remaining[:, i + 1:].sum(axis=1)
            lo = np.maximum(0, left - below)
            count = np.minimum(left, remaining[:, i]) - lo + 1
            total = int(count.sum())
            if total > limit:
                return None
            parent = np.repeat(np.arange(len(count)), count)
            start = np.cumsum(count) - count
            v = lo[parent] + (np.arange(total) - start[parent])
            remaining = remaining[parent]
            remaining[:, i] -= v
            left = left[parent] - v
            acc = acc[parent] + log_fact[v]
            if cells is not None:
                cells = cells[parent]
                cells[:, i, j] = v
        remaining[:, r - 1] -= left  # the bottom cell takes what is left of the column
        acc = acc + log_fact[left]
        if cells is not None:
            cells[:, r - 1, j] = left
    acc = acc + log_fact[remaining].sum(axis=1)
    if cells is not None:
        cells[:, :, c - 1] = remaining
        return cells
    return acc


def _clearly_above(hits: int, drawn: int, level: float) -> bool:
    """Whether ``hits`` of ``drawn`` show the true hit rate above ``level``: the one-sided
    Clopper-Pearson lower bound at error :data:`STOP_ERROR` exceeds it."""
    return hits > 0 and float(stats.beta.ppf(STOP_ERROR, hits, drawn - hits + 1)) > level


def _simulate(t: np.ndarray, rows: np.ndarray, cols: np.ndarray, resamples: int,
              stop_above: float | None, count_hits: Callable[[np.ndarray], int]
              ) -> tuple[int, int]:
    """Hits among up to ``resamples`` tables with the margins of ``t``, drawn in batches
    from a generator seeded by the table, stopping early once the p-value is clearly
    above ``stop_above``; returns (hits, tables drawn). The batches continue one stream,
    so a run that is not stopped draws exactly the tables a single draw would."""
    level = STOP_ABOVE if stop_above is None else stop_above
    sampler = stats.random_table(rows, cols, seed=np.random.default_rng(table_seed(t)))
    hits = drawn = 0
    while drawn < resamples:
        size = min(BATCH, resamples - drawn)
        hits += int(count_hits(sampler.rvs(size, method="patefield")))
        drawn += size
        if drawn < resamples and _clearly_above(hits, drawn, level):
            break
    return hits, drawn


@dataclass(frozen=True)
class ExactResult:
    """An exact or Monte-Carlo test of independence.

    Attributes
    ----------
    p_value
        Two-sided p-value.
    method
        ``"fisher exact"``, ``"fisher enumeration"``, ``"fisher monte carlo"`` or
        ``"chi-square monte carlo"``.
    statistic
        Odds ratio for a 2 x 2 Fisher test, the observed table's probability for r x c
        Fisher tests, Pearson's X^2 for the chi-square test.
    resamples
        Monte-Carlo tables drawn (0 when exact): the number asked for, or fewer when the
        p-value was clearly above :data:`STOP_ABOVE` early on.
    """

    p_value: float
    method: str
    statistic: float
    resamples: int = 0


def fisher_test(table: np.ndarray, *, resamples: int = 20_000,
                max_tables: int = 200_000, stop_above: float | None = None) -> ExactResult:
    """Fisher's exact test of independence for an r x c table (R ``fisher.test``).

    2 x 2 tables use ``scipy.stats.fisher_exact``. Larger tables are enumerated when at most
    ``max_tables`` tables share the margins (exact, matching R to its 1e-7 tolerance),
    otherwise up to ``resamples`` tables are simulated (R ``simulate.p.value = TRUE``): the
    p-value is ``(1 + #{P(sim) <= P(obs)}) / (B + 1)`` over the ``B`` tables drawn, which
    is fewer than ``resamples`` only when the p-value is clearly above ``stop_above``
    (default :data:`STOP_ABOVE`; ``float("inf")`` draws them all). Empty rows and columns
    are dropped.
    """
    t = _drop_empty(table)
    if t.shape[0] < 2 or t.shape[1] < 2:
        return ExactResult(p_value=1.0, method="fisher exact", statistic=float("nan"))
    if t.shape == (2, 2):
        res = stats.fisher_exact(t)
        return ExactResult(p_value=float(res.pvalue), method="fisher exact",
                           statistic=float(res.statistic))
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    # Fewer columns than rows: fewer cells are expanded before the last column is fixed.
    if t.shape[1] > t.shape[0]:
        t, rows, cols = t.T, cols, rows
    observed = _log_prob(t, rows, cols)
    log_fact_sums = _enumerate(rows, cols, max_tables)
    if log_fact_sums is not None:
        lp = _log_prob_const(rows, cols) - log_fact_sums
        p = np.exp(lp[lp <= observed + np.log1p(_REL_TOL)]).sum()
        return ExactResult(p_value=float(min(1.0, p)), method="fisher enumeration",
                           statistic=float(np.exp(observed)))
    limit = observed + np.log1p(_REL_TOL)
    hits, drawn = _simulate(t, rows, cols, resamples, stop_above,
                            lambda sims: np.count_nonzero(_log_prob(sims, rows, cols) <= limit))
    return ExactResult(p_value=float((1 + hits) / (drawn + 1)), method="fisher monte carlo",
                       statistic=float(np.exp(observed)), resamples=drawn)


def _pearson(tables: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    expected = np.outer(rows, cols) / rows.sum()
    return ((tables - expected) ** 2 / expected).sum(axis=(-2, -1))


def chisq_monte_carlo(table: np.ndarray, *, resamples: int = 20_000,
                      stop_above: float | None = None) -> ExactResult:
    """Monte-Carlo p-value of Pearson's X^2 with margins fixed.

    As R's ``chisq.test(table, simulate.p.value = TRUE, B = resamples)``:
    ``(1 + #{X^2(sim) >= X^2(obs)}) / (B + 1)``, tables drawn by
    ``scipy.stats.random_table`` from a generator seeded by :func:`table_seed`, stopping
    early as :func:`fisher_test` does.
    """
    t = _drop_empty(table)
    if t.shape[0] < 2 or t.shape[1] < 2:
        return ExactResult(p_value=float("nan"), method="chi-square monte carlo",
                           statistic=float("nan"))
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    x2 = float(_pearson(t, rows, cols))
    hits, drawn = _simulate(t, rows, cols, resamples, stop_above,
                            lambda sims: np.count_nonzero(_pearson(sims, rows, cols)
                                                          >= _ALMOST_ONE * x2))
    return ExactResult(p_value=float((1 + hits) / (drawn + 1)), method="chi-square monte carlo",
                       statistic=x2, resamples=drawn)
