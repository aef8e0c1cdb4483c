"""Stratified designs: known headcounts by group as strata, with an FPC per stratum.

A staff survey is a near-census of a known workforce, and the headcount of every sector
(say) is known. The design that uses them is a stratified one, R's
``svydesign(ids = ~1, strata = ~sector, fpc = ~N_sector, weights = ~w)``: each sector is
a stratum sampled (by self-selection) at its own rate ``f_h = n_h / N_h``, so with response
rates from 13% to 45% one workforce-wide correction ``sqrt(1 - n / N)`` is too small for
some sectors and too large for others.

Linearisation variance of a domain (subgroup) estimate under that design, for the
influence scores ``z_i`` (zero outside the domain):

    var = sum_h (1 - n_h/N_h) n_h/(n_h - 1) [sum_{i in h} z_i^2 - (sum_{i in h} z_i)^2 / n_h]

With ``z_i = w_i (y_i - ybar) / W`` for a domain mean, write per stratum
``A_h = sum_h w (y - ybar) / W`` and ``B_h = sum_h w^2 (y - ybar)^2 / W^2``; then
``var = sum_h c_h B_h - k_h A_h^2`` with ``c_h = (1 - f_h) n_h / (n_h - 1)`` and
``k_h = c_h / n_h``. Everything follows from sums of weights and squared weights per
(group, stratum, answer) cell, so no pass over respondents is needed beyond the counting.
Two disjoint domains are no longer independent when they share strata:
``cov = -sum_h k_h A_h(1) A_h(2)``. Without strata (one stratum, the whole sample) every
``A`` is zero and this is the unstratified formula of :mod:`surveykit.analysis.intervals`.

Choices (all as R ``survey``, and documented in docs/methods.md):

* Respondents who did not state the stratum breakdown form a stratum of their own with no
  FPC (``fpc = Inf`` in R): their sector's headcount is unknown, so the conservative
  choice is to claim no sampling fraction for them. Their count is not subtracted from any
  sector either, which makes every sector's fraction a lower bound (conservative again).
* A stratum with one respondent (``n_h = 1 < N_h``) cannot estimate its own variance. R
  stops by default; surveykit follows ``options(survey.lonely.psu = "adjust")``: the
  respondent's score is taken about zero, ``c_h = 1 - f_h`` and ``k_h = 0``.
* Degrees of freedom are R's ``degf``: respondents minus strata, counted in the domain for
  intervals (``svyciprop``), in the whole design for Rao-Scott (``svychisq``) and among the
  rows of the model for mean tests (``svyglm``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

from surveykit.errors import InputError
from surveykit.model import Population, normalise_label
from surveykit.survey import Survey

NOT_STATED = "(not stated)"


@dataclass(frozen=True)
class Strata:
    """The strata of a design: one per group of a breakdown (or per pooled set of groups),
    plus one for respondents who did not state it.

    Attributes
    ----------
    breakdown
        Id of the breakdown whose groups are the strata.
    labels
        ``(H,)`` stratum names; pooled groups are joined with " + "; the last is
        ``"(not stated)"``.
    of_group
        ``(G + 1,)`` stratum of each group of the breakdown, the last entry for "not stated".
    codes
        ``(respondents,)`` stratum of each respondent.
    n
        ``(H,)`` respondents per stratum.
    population
        ``(H,)`` headcounts, ``inf`` for the not-stated stratum (no FPC).
    """

    breakdown: str
    labels: tuple[str, ...]
    of_group: np.ndarray
    codes: np.ndarray
    n: np.ndarray
    population: np.ndarray

    @property
    def size(self) -> int:
        return len(self.labels)

    def scale(self) -> np.ndarray:
        """``c_h = (1 - n_h / N_h) n_h / (n_h - 1)``; ``1 - f_h`` for a lonely stratum, 0 empty."""
        n, big_n = self.n, self.population
        with np.errstate(divide="ignore", invalid="ignore"):
            keep = np.where(np.isinf(big_n), 1.0, 1.0 - n / big_n)
            return np.where(n > 1, keep * n / (n - 1), np.where(n == 1, keep, 0.0))

    def centre(self) -> np.ndarray:
        """``k_h = c_h / n_h`` (0 for lonely and empty strata: nothing to centre on)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.n > 1, self.scale() / self.n, 0.0)

    def nu(self) -> float:
        """Design degrees of freedom, respondents minus non-empty strata (R ``degf``)."""
        return float(self.n.sum() - (self.n > 0).sum())

    def describe(self) -> str:
        """One line for the methods note."""
        return f"stratified by {self.breakdown} with finite population correction"

    def to_dict(self) -> dict[str, Any]:
        """The design as recorded in ``results.settings`` (JSON-safe). No respondent counts:
        a stratum's n would bypass suppression; the headcounts are the caller's input."""
        return {"breakdown": self.breakdown, "description": self.describe(),
                "strata": list(self.labels),
                "headcounts": [None if np.isinf(big) else float(big)
                               for big in self.population]}


def make_strata(group_codes: np.ndarray, labels: tuple[str, ...], population: Population,
                breakdown: str, *, name: str | None = None,
                pool: Collection[str] = ()) -> Strata:
    """Strata from a breakdown's group codes and the headcounts of its groups.

    Parameters
    ----------
    group_codes
        ``(respondents,)`` group of each respondent, ``-1`` not stated.
    labels
        The breakdown's group labels (code order).
    population
        Headcounts; its rows for ``breakdown`` give ``N_h``.
    breakdown
        The breakdown as the headcount file names it.
    name
        Its id in the survey (default ``breakdown``), recorded in :attr:`Strata.breakdown`.
    pool
        Groups to merge into one stratum (headcounts added). Pass the groups suppression
        hides: a stratum's own FPC would otherwise carry its respondent count into every
        standard error (as raking's ``pool`` does for the weights).

    Raises
    ------
    InputError
        A headcount for a group the survey does not have, a group with respondents but no
        headcount, or more respondents than staff in a group (naming the file and row).
    """
    rows = [r for r in population.rows if r.breakdown == breakdown]
    if not rows:
        raise InputError(f"the headcounts have no rows for breakdown '{breakdown}' "
                         f"(breakdowns: {', '.join(population.breakdowns)})",
                         path=population.source)
    codes = np.asarray(group_codes)
    g = len(labels)
    index = {normalise_label(lab): j for j, lab in enumerate(labels)}
    heads = np.zeros(g)
    row_of = {}
    for r in rows:
        j = index.get(normalise_label(r.group))
        if j is None:
            raise InputError(f"group '{r.group}' of {breakdown} is not in the survey "
                             f"(groups: {', '.join(labels)})", path=population.source, row=r.row)
        heads[j], row_of[j] = r.headcount, r.row
    counts = np.bincount(np.where(codes < 0, g, codes), minlength=g + 1).astype(np.float64)
    missing = [labels[j] for j in range(g) if heads[j] == 0 and counts[j] > 0]
    if missing:
        raise InputError(f"no headcount for {breakdown} group(s): {', '.join(missing)}",
                         path=population.source)
    for j in range(g):
        if counts[j] > heads[j] > 0:
            raise InputError(f"{breakdown} group '{labels[j]}' has {counts[j]:,.0f} "
                             f"respondents but a headcount of {heads[j]:,.0f}",
                             path=population.source, row=row_of[j])
    together = {normalise_label(x) for x in pool}
    members = [j for j in range(g) if normalise_label(labels[j]) in together]
    of_group = np.arange(g + 1)
    names = list(labels)
    if len(members) > 1:
        first = members[0]
        of_group[members] = first
        names[first] = " + ".join(labels[j] for j in members)
    # renumber the strata left (pooled groups share the first member's stratum)
    used = sorted(set(of_group[:g].tolist()))
    renumber = {old: new for new, old in enumerate(used)}
    of_group = np.array([renumber[s] for s in of_group[:g]] + [len(used)])
    h = len(used) + 1
    n = np.bincount(of_group, weights=counts, minlength=h)
    big = np.bincount(of_group[:g], weights=heads, minlength=h)
    big[-1] = np.inf
    return Strata(breakdown=name or breakdown, labels=tuple(names[s] for s in used) + (NOT_STATED,),
                  of_group=of_group, codes=of_group[np.where(codes < 0, g, codes)], n=n,
                  population=big)


def by_stratum(cube: np.ndarray, strata: Strata, axis: int) -> np.ndarray:
    """Sum a cube's axis over the strata breakdown's groups (``G + 1`` entries, not stated
    last) into an axis of the ``H`` strata, at the same position."""
    cube = np.moveaxis(np.asarray(cube), axis, -1)
    out = np.zeros(cube.shape[:-1] + (strata.size,), dtype=np.result_type(cube, np.float64))
    for j, h in enumerate(strata.of_group):  # a handful of groups: a loop is fine
        out[..., h] += cube[..., j]
    return np.moveaxis(out, -1, axis)


def variance(a: np.ndarray, b: np.ndarray, strata: Strata) -> np.ndarray:
    """``sum_h c_h B_h - k_h A_h^2`` over the last (strata) axis, never below 0."""
    v = (b * strata.scale()).sum(axis=-1) - (a * a * strata.centre()).sum(axis=-1)
    return np.maximum(v, 0.0)


def covariance(a1: np.ndarray, a2: np.ndarray, strata: Strata) -> np.ndarray:
    """Covariance of two *disjoint* domains' estimates, ``-sum_h k_h A_h(1) A_h(2)``."""
    return -(a1 * a2 * strata.centre()).sum(axis=-1)


def share_parts(x_w: np.ndarray, x_w2: np.ndarray, w: np.ndarray, w2: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A domain proportion and its per-stratum ``A``, ``B`` from per-stratum sums.

    ``x_w``, ``x_w2``: sums of weights and squared weights of the domain's respondents in
    the share, ``w``, ``w2`` of all its respondents in the base; last axis strata.
    Returns ``(p, A, B)``, ``p`` without the strata axis.
    """
    x_w, x_w2 = np.asarray(x_w, dtype=np.float64), np.asarray(x_w2, dtype=np.float64)
    w, w2 = np.asarray(w, dtype=np.float64), np.asarray(w2, dtype=np.float64)
    total = w.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x_w.sum(axis=-1) / total
        pe = p[..., None]
        a = (x_w - pe * w) / total[..., None]
        rest2 = np.maximum(w2 - x_w2, 0.0)  # rounding can leave -1e-17
        b = (x_w2 * (1 - pe) ** 2 + rest2 * pe * pe) / (total * total)[..., None]
    return p, a, b


def mean_parts(w: np.ndarray, w2: np.ndarray, scores: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A domain mean score and its per-stratum ``A``, ``B`` from ``(..., H, categories)``
    sums of weights and squared weights; ``scores`` broadcast against the categories."""
    w, w2 = np.asarray(w, dtype=np.float64), np.asarray(w2, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    total = w.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (w * s).sum(axis=(-2, -1)) / total
        dev = s - mean[..., None, None]
        a = (w * dev).sum(axis=-1) / total[..., None]
        b = (w2 * dev * dev).sum(axis=-1) / (total * total)[..., None]
    return mean, a, b


def domain_df(n_h: np.ndarray) -> np.ndarray:
    """R's ``degf`` of a domain: its respondents minus the strata it has respondents in."""
    n_h = np.asarray(n_h, dtype=np.float64)
    return n_h.sum(axis=-1) - (n_h > 0).sum(axis=-1)


def survey_strata(survey: Survey, population: Population, breakdown: str | None = None, *,
                  pool: Collection[str] = ()) -> Strata:
    """The strata of ``survey`` by ``breakdown`` (id or column as the headcount file names
    it; default the file's first breakdown), with its headcounts (:func:`make_strata`).

    Raises
    ------
    InputError
        No headcounts for that breakdown, a breakdown the survey does not have, or any
        error of :func:`make_strata` (naming the headcount file and row).
    """
    key = breakdown if breakdown is not None else population.breakdowns[0]
    if key not in population.breakdowns:
        raise InputError(f"no headcounts by '{key}' to stratify by (the file has: "
                         f"{', '.join(population.breakdowns)})", path=population.source)
    try:
        bid = survey.codebook.breakdown(key).id
    except KeyError:
        row = next(r.row for r in population.rows if r.breakdown == key)
        known = ", ".join(b.id for b in survey.codebook.breakdowns) or "none"
        raise InputError(f"breakdown '{key}' is not in the survey (breakdowns: {known})",
                         path=population.source, row=row) from None
    return make_strata(survey.group_codes[bid], survey.groups[bid], population, key, name=bid,
                       pool=pool)
