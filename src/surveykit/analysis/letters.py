"""Column-proportion tests between every pair of groups, shown as letters (SPSS/Q style).

Each group of a breakdown gets a letter by position (A, B, C ..., after Z: AA, AB ...).
For each item, every pair of groups is compared on % positive; a group's cell then lists
the letters of the groups it is significantly *higher* than: an uppercase letter when the
corrected p-value is below the strict level (default 0.01), lowercase below the looser one
(default 0.05). This is the "column proportions" convention of SPSS Custom Tables and Q,
except that the correction is configurable (Holm by default; SPSS uses Bonferroni) and so
is its family: the pairs within one item (SPSS) or all pairs of all items of a breakdown
(stricter: the chance of any false letter anywhere in the table is controlled).

Three ways to get the pairwise p-values:

* :func:`pairwise_z`: unweighted counts, pooled two-proportion z-test (= ``prop.test(...,
  correct = FALSE)`` for each pair);
* :func:`pairwise_z_effective`: weighted proportions with each group's base replaced by
  Kish's effective sample size (what most tab software does with weights);
* :func:`pairwise_z_design`: weighted proportions with their design-based (linearisation)
  SEs, unpooled. Subgroups of a design without clusters are independent domains, so the
  variance of a difference is the sum of the two variances.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from surveykit.analysis.significance import CORRECTIONS, two_proportions

FAMILIES = ("item", "breakdown")


def adjust_rows(p_values: np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjust p-values within each row (family) of a 2-D array, all rows at once.

    The same numbers as :func:`surveykit.analysis.significance.adjust` (R ``p.adjust``)
    applied row by row, NaN (test not run) left out of its family, but vectorised: one
    sort for all families instead of one ``multipletests`` call per family (which in
    statsmodels 0.15 also runs ``gc.collect()`` for Holm, about 70 ms with a large heap).

    Parameters
    ----------
    p_values
        ``(families, tests)`` raw p-values.
    method
        ``"holm"``, ``"bh"``, ``"bonferroni"`` or ``"none"``.
    """
    if method not in CORRECTIONS:
        raise ValueError(f"unknown correction {method!r}; use one of {', '.join(CORRECTIONS)}")
    p = np.atleast_2d(np.asarray(p_values, dtype=np.float64))
    live = np.isfinite(p)
    if method == "none":
        return np.where(live, p, np.nan)
    m = live.sum(axis=1, keepdims=True).astype(np.float64)
    if method == "bonferroni":
        return np.where(live, np.minimum(1.0, p * m), np.nan)
    order = np.argsort(np.where(live, p, np.inf), axis=1, kind="stable")  # NaN last
    ps = np.take_along_axis(np.where(live, p, np.inf), order, axis=1)
    rank = np.arange(1, p.shape[1] + 1, dtype=np.float64)[None, :]
    with np.errstate(invalid="ignore"):
        if method == "holm":  # step-down: cummax of (m - i + 1) p_(i)
            adj = np.maximum.accumulate(np.where(np.isfinite(ps), (m - rank + 1) * ps, np.inf),
                                        axis=1)
        else:  # Benjamini-Hochberg step-up: cummin from the largest of m/i p_(i)
            scaled = np.where(np.isfinite(ps), m / rank * ps, np.inf)
            adj = np.minimum.accumulate(scaled[:, ::-1], axis=1)[:, ::-1]
    adj = np.minimum(adj, 1.0)
    out = np.empty_like(adj)
    np.put_along_axis(out, order, adj, axis=1)
    return np.where(live, out, np.nan)


def column_labels(n: int) -> tuple[str, ...]:
    """Spreadsheet-style letters for ``n`` groups: A..Z, AA, AB ..."""
    out = []
    for i in range(n):
        label, j = "", i
        while True:
            label = chr(ord("A") + j % 26) + label
            j = j // 26 - 1
            if j < 0:
                break
        out.append(label)
    return tuple(out)


def _pairs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Broadcast ``(items, G)`` to ``(items, G, G)`` row- and column-group versions."""
    return x[:, :, None], x[:, None, :]


def pairwise_z(positive: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Two-sided pooled z-test p-values between every pair of groups.

    Parameters
    ----------
    positive, n
        ``(items, groups)`` positive answers and valid base.

    Returns
    -------
    numpy.ndarray
        ``(items, groups, groups)`` symmetric p-values; NaN on the diagonal and where a
        test cannot be run (an empty group, or nobody/everybody positive in both).
    """
    positive, n = np.atleast_2d(positive), np.atleast_2d(n)
    x1, x2 = _pairs(positive)
    n1, n2 = _pairs(n)
    with np.errstate(divide="ignore", invalid="ignore"):  # empty groups: NaN, not a warning
        p = two_proportions(x1, n1, x2, n2)["p_value"]
    return _blank_diagonal(p)


def pairwise_z_effective(p: np.ndarray, n_eff: np.ndarray) -> np.ndarray:
    """Pooled z-test on weighted proportions ``p`` with Kish effective bases ``n_eff``."""
    p, n_eff = np.atleast_2d(p), np.atleast_2d(n_eff)
    return pairwise_z(p * n_eff, n_eff)


def pairwise_z_design(p: np.ndarray, se: np.ndarray, df: float | None = None) -> np.ndarray:
    """Wald test of ``p_g - p_h`` with ``var = se_g^2 + se_h^2`` (independent domains).

    ``df`` gives a t reference distribution (e.g. respondents - 1); default normal.
    """
    p, se = np.atleast_2d(p), np.atleast_2d(se)
    p1, p2 = _pairs(p)
    s1, s2 = _pairs(se)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(s1 * s1 + s2 * s2)
    ok = np.isfinite(z)
    out = np.full(z.shape, np.nan)
    dist = stats.norm if df is None else stats.t(df)
    out[ok] = 2 * dist.sf(np.abs(z[ok]))
    return _blank_diagonal(out)


def _blank_diagonal(p: np.ndarray) -> np.ndarray:
    p = np.array(p, dtype=np.float64)
    g = p.shape[-1]
    p[:, np.arange(g), np.arange(g)] = np.nan
    return p


@dataclass(frozen=True)
class ColumnLetters:
    """Pairwise comparisons of one breakdown's groups, for each item.

    Attributes
    ----------
    labels
        Letter of each group, by position.
    p_value, p_adjusted
        ``(items, groups, groups)`` raw and corrected p-values (symmetric, NaN diagonal).
    level
        ``(items, groups, groups)`` int8: 2 where row group is higher than column group at
        the strict level, 1 at the loose level only, 0 otherwise.
    letters
        Per item, per group: the letters of the groups it is higher than, uppercase for the
        strict level and lowercase for the loose one, in group order (e.g. ``"Bd"``).
    strict, loose
        The two levels.
    correction, family
        Correction method and family (``"item"`` or ``"breakdown"``).
    """

    labels: tuple[str, ...]
    p_value: np.ndarray
    p_adjusted: np.ndarray
    level: np.ndarray
    letters: tuple[tuple[str, ...], ...]
    strict: float
    loose: float
    correction: str
    family: str

    def higher_than(self, item: int, group: int) -> frozenset[str]:
        """Labels of the groups ``group`` beats on ``item`` at the loose level."""
        return frozenset(self.labels[h] for h in np.flatnonzero(self.level[item, group] > 0))


def letters_from_p(p_values: np.ndarray, estimates: np.ndarray, *, strict: float = 0.01,
                   loose: float = 0.05, correction: str = "holm",
                   family: str = "item") -> ColumnLetters:
    """Correct pairwise p-values over a family and turn them into letters.

    Parameters
    ----------
    p_values
        ``(items, groups, groups)`` symmetric raw p-values (from one of the ``pairwise_*``
        functions). Each pair is counted once in the family.
    estimates
        ``(items, groups)`` % positive (or proportions): decides who is higher.
    strict, loose
        Significance levels for upper- and lowercase letters (``strict < loose``).
    correction
        ``"holm"``, ``"bh"``, ``"bonferroni"`` or ``"none"``.
    family
        ``"item"``: correct over the pairs within each item; ``"breakdown"``: over all pairs
        of all items together.
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}")
    if not strict < loose:
        raise ValueError("the strict level must be smaller than the loose level")
    p = np.asarray(p_values, dtype=np.float64)
    est = np.asarray(estimates, dtype=np.float64)
    n_items, g, _ = p.shape
    iu, ju = np.triu_indices(g, k=1)
    upper = p[:, iu, ju]  # (items, pairs): each pair once
    if family == "item":
        adj_upper = adjust_rows(upper, correction)
    else:
        adj_upper = adjust_rows(upper.reshape(1, -1), correction).reshape(upper.shape)
    adj = np.full(p.shape, np.nan)
    adj[:, iu, ju] = adj_upper
    adj[:, ju, iu] = adj_upper
    higher = est[:, :, None] > est[:, None, :]
    with np.errstate(invalid="ignore"):
        level = np.where(higher & (adj < strict), 2, np.where(higher & (adj < loose), 1, 0))
    level = level.astype(np.int8)
    labels = column_labels(g)
    letters = tuple(
        tuple("".join(labels[h] if level[i, gi, h] == 2 else labels[h].lower()
                      for h in range(g) if level[i, gi, h] > 0) for gi in range(g))
        for i in range(n_items))
    return ColumnLetters(labels=labels, p_value=p, p_adjusted=adj, level=level, letters=letters,
                         strict=strict, loose=loose, correction=correction, family=family)


def column_letters(positive: np.ndarray, n: np.ndarray, *, strict: float = 0.01,
                   loose: float = 0.05, correction: str = "holm", family: str = "item",
                   min_n: int = 0) -> ColumnLetters:
    """Unweighted column-proportion letters from counts.

    Parameters
    ----------
    positive, n
        ``(items, groups)`` positive answers and valid base (e.g. from ``count_cube``).
    min_n
        Groups with a base below this are not tested (no letters for or against them): pass
        the suppression threshold so a letter cannot reveal a hidden group.

    Other parameters are those of :func:`letters_from_p`.
    """
    positive = np.atleast_2d(np.asarray(positive, dtype=np.float64))
    n = np.atleast_2d(np.asarray(n, dtype=np.float64))
    n_tested = np.where(n >= max(min_n, 1), n, 0.0)
    p = pairwise_z(positive, n_tested)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = positive / n
    return letters_from_p(p, share, strict=strict, loose=loose, correction=correction,
                          family=family)


def column_letters_weighted(p: np.ndarray, *, n_eff: np.ndarray | None = None,
                            se: np.ndarray | None = None, n: np.ndarray | None = None,
                            min_n: int = 0, strict: float = 0.01, loose: float = 0.05,
                            correction: str = "holm", family: str = "item") -> ColumnLetters:
    """Weighted column-proportion letters.

    Give ``n_eff`` (Kish effective bases: pooled z on effective n) or ``se`` (design-based
    SEs: unpooled Wald test). ``n`` (unweighted bases) with ``min_n`` leaves small groups
    untested, as in :func:`column_letters`.
    """
    if (n_eff is None) == (se is None):
        raise ValueError("give exactly one of n_eff and se")
    p = np.atleast_2d(np.asarray(p, dtype=np.float64))
    untested = np.zeros(p.shape, dtype=bool)
    if n is not None:
        untested = np.atleast_2d(np.asarray(n, dtype=np.float64)) < max(min_n, 1)
    if n_eff is not None:
        pv = pairwise_z_effective(p, np.where(untested, 0.0, np.atleast_2d(n_eff)))
    else:
        pv = pairwise_z_design(np.where(untested, np.nan, p), np.atleast_2d(se))
    return letters_from_p(pv, p, strict=strict, loose=loose, correction=correction,
                          family=family)
