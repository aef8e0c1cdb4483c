"""Tests for tick-all-that-apply questions, option by option.

Options of a multi-response question are not mutually exclusive, so one chi-square over
the options x groups table would count respondents several times and be invalid. Each
option is instead its own 2 x G table (ticked / not ticked among those who answered the
question, by group), tested with Pearson's chi-square, or the Rao-Scott corrected F for
weighted data (:mod:`surveykit.analysis.raoscott`); and each group is compared with the
rest on the share ticking the option (pooled z-test, or a design-based t-test with weights).
p-values are corrected over the options of the question (omnibus) and over all options x
groups (group vs rest), the families ``analyse`` uses for scaled items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surveykit.analysis.exact import fisher_test
from surveykit.analysis.meantests import weighted_mean_tests
from surveykit.analysis.significance import adjust_rows
from surveykit.analysis.raoscott import rao_scott_from_sums
from surveykit.analysis.strata import Strata
from surveykit.analysis.significance import chi_square, two_proportions


@dataclass(frozen=True)
class TickSums:
    """Per group (last row: not stated) and option: counts and sums of weights.

    ``ticked_*`` are ``(groups + 1, options)``; ``base_*`` are ``(groups + 1,)``
    (respondents who answered the question). ``*_n`` count respondents, ``*_w`` sum weights,
    ``*_w2`` sum squared weights. With strata, ``by_stratum`` holds the same sums split by
    stratum: ``ticked_*`` ``(groups + 1, options, strata)``, ``base_*`` ``(groups + 1,
    strata)``.
    """

    ticked_n: np.ndarray
    ticked_w: np.ndarray
    ticked_w2: np.ndarray
    base_n: np.ndarray
    base_w: np.ndarray
    base_w2: np.ndarray
    by_stratum: TickSums | None = None


def tick_sums(ticks: np.ndarray, answered: np.ndarray, group: np.ndarray, n_groups: int,
              weights: np.ndarray | None = None, *, strata: Strata | None = None) -> TickSums:
    """Count ticks by group and option with one ``bincount`` per option (O(respondents));
    with ``strata``, by group and stratum as well (``by_stratum``)."""
    ticks = np.asarray(ticks, dtype=bool)
    answered = np.asarray(answered, dtype=bool)
    idx = np.where(np.asarray(group) < 0, n_groups, group).astype(np.intp)
    w = np.ones(len(idx)) if weights is None else np.asarray(weights, dtype=np.float64)
    g1 = n_groups + 1
    if strata is not None:
        h = strata.size
        # by (group, stratum) with the groups' not-stated row last; summed back to groups
        cells = tick_sums(ticks, answered, idx * h + strata.codes, g1 * h, w)

        def split(a: np.ndarray) -> np.ndarray:
            return a[: g1 * h].reshape(g1, h, *a.shape[1:])

        fine = TickSums(*(split(getattr(cells, k)) for k in (
            "ticked_n", "ticked_w", "ticked_w2", "base_n", "base_w", "base_w2")))
        return TickSums(*(getattr(fine, k).sum(axis=1) for k in (
            "ticked_n", "ticked_w", "ticked_w2", "base_n", "base_w", "base_w2")),
            by_stratum=TickSums(fine.ticked_n.transpose(0, 2, 1),
                                fine.ticked_w.transpose(0, 2, 1),
                                fine.ticked_w2.transpose(0, 2, 1),
                                fine.base_n, fine.base_w, fine.base_w2))

    def by_group(mask: np.ndarray, values: np.ndarray | None) -> np.ndarray:
        return np.bincount(idx[mask], weights=None if values is None else values[mask],
                           minlength=g1).astype(np.float64)

    cols = [ticks[:, j] & answered for j in range(ticks.shape[1])]
    return TickSums(
        ticked_n=np.stack([by_group(c, None) for c in cols], axis=1),
        ticked_w=np.stack([by_group(c, w) for c in cols], axis=1),
        ticked_w2=np.stack([by_group(c, w * w) for c in cols], axis=1),
        base_n=by_group(answered, None), base_w=by_group(answered, w),
        base_w2=by_group(answered, w * w))


@dataclass(frozen=True)
class MultiTests:
    """Per-option tests of a multi-response question by one breakdown.

    Attributes
    ----------
    method
        ``"chi-square"`` (unweighted) or ``"rao-scott"`` (weighted, second-order F).
    p_method
        Per option, where the p-value came from: ``"asymptotic"`` (chi-square), a Fisher
        method (``"fisher exact"``, ``"fisher enumeration"``, ``"fisher monte carlo"``)
        where Cochran's rule finds the table too sparse, or ``"F (second-order)"``.
    statistic, df, p_value, p_adjusted
        ``(options,)`` omnibus test of ticked x group (``df``: chi-square df, or the F
        numerator df ``d0`` for Rao-Scott).
    pct
        ``(options, groups)`` % of each group's answerers ticking the option (weighted if
        weights were given).
    difference, vs_rest_p, vs_rest_p_adjusted
        ``(options, groups)`` group minus rest (percentage points), raw and corrected
        p-values.
    """

    method: str
    statistic: np.ndarray
    df: np.ndarray
    p_value: np.ndarray
    p_adjusted: np.ndarray
    pct: np.ndarray
    difference: np.ndarray
    vs_rest_p: np.ndarray
    vs_rest_p_adjusted: np.ndarray
    p_method: tuple[str, ...] = ()
    resamples: tuple[int, ...] = ()  # per option, Monte-Carlo tables drawn (0: none)


def multi_tests(ticks: np.ndarray, answered: np.ndarray, group: np.ndarray, n_groups: int,
                weights: np.ndarray | None = None, *, correction: str = "holm",
                population: float | None = None, sums: TickSums | None = None,
                strata: Strata | None = None, exact_stop: float | None = None) -> MultiTests:
    """Test every option of a multi-response question by group.

    Parameters
    ----------
    ticks, answered
        ``(respondents, options)`` ticks and the ``(respondents,)`` mask of respondents who
        answered the question (``Survey.multi_ticks`` / ``multi_answered``).
    group, n_groups
        Group codes (``-1`` not stated: left out of the omnibus test, part of the "rest").
    weights
        Respondent weights; given, the tests are design-based (``ids = ~1``).
    correction
        Multiple-comparison correction (see :func:`surveykit.analysis.significance.adjust`).
    population
        Population size for the FPC (weighted tests only).
    sums
        Precomputed :func:`tick_sums` (with ``by_stratum`` for a stratified design).
    strata
        A stratified design (FPC per stratum): the tests are then design-based, weighted or
        not, as ``svydesign(ids = ~1, strata = , fpc = , weights = )``.
    exact_stop
        Level above which a Monte-Carlo p-value may stop early (None: the default of
        :mod:`surveykit.analysis.exact`; see :func:`surveykit.analysis.itemstats.exact_stop`).
    """
    s = sums if sums is not None else tick_sums(ticks, answered, group, n_groups, weights,
                                                strata=strata)
    g = n_groups
    n_total = float(len(group))
    if weights is None and strata is None:
        yes = s.ticked_n.T  # (options, groups + 1)
        no = s.base_n[None, :] - yes
        tables = np.stack([yes[:, :g], no[:, :g]], axis=1)  # (options, 2, groups)
        chi = chi_square(tables.transpose(0, 2, 1))
        stat, df, p = chi["statistic"], chi["df"].astype(np.float64), chi["p_value"].copy()
        p_method = ["asymptotic"] * len(p)
        resamples = [0] * len(p)
        # as for scaled items: Fisher's test where the chi-square approximation is unsafe
        sparse = (chi["min_expected"] < 1) | (chi["share_expected_lt5"] > 0.2)
        stop = {} if exact_stop is None else {"stop_above": exact_stop}
        for j in np.flatnonzero(sparse & np.isfinite(p)):
            exact = fisher_test(tables[j], **stop)
            p[j], p_method[j], resamples[j] = exact.p_value, exact.method, exact.resamples
        total_yes, total_n = yes.sum(axis=1, keepdims=True), s.base_n.sum()
        rest_yes, rest_n = total_yes - yes[:, :g], total_n - s.base_n[None, :g]
        vs = two_proportions(yes[:, :g], np.broadcast_to(s.base_n[:g], yes[:, :g].shape),
                             rest_yes, rest_n)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = 100 * yes[:, :g] / s.base_n[None, :g]
        diff, vs_p, method = 100 * vs["difference"], vs["p_value"], "chi-square"
    else:
        yw, yw2 = s.ticked_w.T, s.ticked_w2.T
        nw, nw2 = s.base_w[None, :] - yw, s.base_w2[None, :] - yw2
        by_h, rs_h = {}, {}
        if strata is not None:
            bs = s.by_stratum
            yh, yh2 = bs.ticked_w.transpose(1, 0, 2), bs.ticked_w2.transpose(1, 0, 2)
            nh, nh2 = bs.base_w[None] - yh, np.maximum(bs.base_w2[None] - yh2, 0.0)
            rs_h = {"strata": strata, "w_h": np.stack([yh[:, :g], nh[:, :g]], axis=1),
                    "w2_h": np.stack([yh2[:, :g], nh2[:, :g]], axis=1)}
            by_h = {"strata": strata, "w_h": np.stack([nh, yh], axis=-1),
                    "w2_h": np.stack([nh2, yh2], axis=-1)}
        rs = rao_scott_from_sums(np.stack([yw[:, :g], nw[:, :g]], axis=1),
                                 np.stack([yw2[:, :g], nw2[:, :g]], axis=1), n_total,
                                 population=population, **rs_h)
        stat, df, p = rs.statistic, rs.ndf, rs.p_value
        # ticked = score 1, not ticked = score 0; all groups incl. not stated form the rest
        w_cells = np.stack([nw, yw], axis=-1)  # (options, groups + 1, 2)
        w2_cells = np.stack([nw2, yw2], axis=-1)
        mt = weighted_mean_tests(w_cells, w2_cells, np.array([0.0, 1.0]), n_total,
                                 n_answered=float(s.base_n.sum()), population=population,
                                 **by_h)
        pct = 100 * mt["mean"][:, :g]
        diff, vs_p, method = 100 * mt["difference"][:, :g], mt["p_value"][:, :g], "rao-scott"
        p_method = ["F (second-order)"] * len(p)
        resamples = [0] * len(p)
    vs_adj = adjust_rows(vs_p.reshape(1, -1), correction).reshape(vs_p.shape)
    return MultiTests(method=method, statistic=stat, df=df, p_value=p,
                      p_adjusted=adjust_rows(p[None, :], correction)[0], pct=pct,
                      difference=diff, vs_rest_p=vs_p, vs_rest_p_adjusted=vs_adj,
                      p_method=tuple(p_method), resamples=tuple(resamples))
