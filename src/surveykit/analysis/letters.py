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
  SEs, unpooled. Subgroups of a design without clusters or strata are independent
  domains, so the variance of a difference is the sum of the two variances; in a stratified
  design groups that share strata are correlated and their covariances are given too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from surveykit.analysis.significance import CORRECTIONS, adjust_rows, two_proportions

FAMILIES = ("item", "breakdown")


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


def pairwise_z_design(p: np.ndarray, se: np.ndarray, df: float | None = None, *,
                      cov: np.ndarray | None = None) -> np.ndarray:
    """Wald test of ``p_g - p_h`` with ``var = se_g^2 + se_h^2 - 2 cov_gh``.

    ``cov``: ``(items, groups, groups)`` covariances of the groups' estimates (off the
    diagonal; default 0, independent domains). ``df`` gives a t reference distribution
    (e.g. respondents - 1); default normal.
    """
    p, se = np.atleast_2d(p), np.atleast_2d(se)
    p1, p2 = _pairs(p)
    s1, s2 = _pairs(se)
    var = s1 * s1 + s2 * s2
    if cov is not None:
        var = np.maximum(var - 2 * np.asarray(cov, dtype=np.float64), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(var)
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
                            correction: str = "holm", family: str = "item",
                            cov: np.ndarray | None = None) -> ColumnLetters:
    """Weighted column-proportion letters.

    Give ``n_eff`` (Kish effective bases: pooled z on effective n) or ``se`` (design-based
    SEs: unpooled Wald test, with ``cov`` the covariances between groups where they are
    not independent, as in a stratified design). ``n`` (unweighted bases) with ``min_n``
    leaves small groups untested, as in :func:`column_letters`.
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
        pv = pairwise_z_design(np.where(untested, np.nan, p), np.atleast_2d(se), cov=cov)
    return letters_from_p(pv, p, strict=strict, loose=loose, correction=correction,
                          family=family)
