"""Every figure and test for all items by one breakdown, from cell sums.

Input is the ``(items, groups + 1, categories + 1)`` cube of counts, sums of weights and
sums of squared weights (:class:`~surveykit.analysis.weights.CellSums`); output is arrays
over items and groups. Two modes:

* **simple** (no weights, no population): Wilson intervals, Pearson chi-square (Fisher's
  exact or a Monte-Carlo p where Cochran's rule says the asymptotic p is unreliable),
  two-proportion z-tests, Kruskal-Wallis on the answer order;
* **design-based** (weights and/or a known population for the finite population
  correction): ``svyciprop``-style logit intervals, the Rao-Scott second-order corrected
  chi-square (R ``svychisq``'s default), linearised z-tests, a Wald test of mean scores.

Design-based mode is stratified when the design has :class:`~surveykit.analysis.strata.Strata`
(headcounts by group, an FPC per stratum): every function then also takes the cell sums
split by stratum, ``(items, groups + 1, strata, categories + 1)``, and the variances,
covariances and degrees of freedom follow :mod:`surveykit.analysis.strata`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from surveykit.analysis import exact
from surveykit.analysis.exact import fisher_test
from surveykit.analysis import strata as st
from surveykit.analysis.intervals import (
    korn_graubard_interval,
    logit_interval,
    proportion_from_sums,
    proportion_interval_from_sums,
    wilson_interval,
)
from surveykit.analysis.letters import ColumnLetters, column_letters, column_letters_weighted
from surveykit.analysis.meantests import (
    kruskal_from_counts,
    mann_whitney_vs_rest,
    weighted_mean_tests,
)
from surveykit.analysis.raoscott import rao_scott_from_sums
from surveykit.analysis.results import TestResult
from surveykit.analysis.significance import adjust, chi_square, two_proportions
from surveykit.analysis.strata import Strata
from surveykit.analysis.weights import CellSums, effective_n


def exact_stop(alpha: float) -> float | None:
    """The level above which Monte-Carlo p-values may stop early: at least ``alpha`` (a
    corrected p is never below the raw one, so a raw p clearly above alpha stays above
    it). None for the default, :data:`surveykit.analysis.exact.STOP_ABOVE`."""
    return None if alpha <= exact.STOP_ABOVE else float(alpha)


@dataclass(frozen=True)
class Masks:
    """Per-item category masks (``items x categories + 1``) and scores."""

    valid: np.ndarray
    na: np.ndarray
    positive: np.ndarray
    neutral: np.ndarray
    negative: np.ndarray
    score: np.ndarray


@dataclass(frozen=True)
class Design:
    """How inference is done: weighted or not, finite population, levels."""

    weighted: bool
    n_total: float
    population: float | None = None
    confidence: float = 0.95
    correction: str = "holm"
    strict: float = 0.01
    loose: float = 0.05
    letters_family: str = "item"
    exact_resamples: int = 20_000
    strata: Strata | None = None
    # Monte-Carlo p-values stop early once clearly above this; None: exact.STOP_ABOVE
    # (0.2), which covers every level in use unless alpha is set higher.
    exact_stop: float | None = None

    @property
    def design_based(self) -> bool:
        return self.weighted or self.population is not None or self.strata is not None


def _sum(a: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return (a * mask[:, None, :]).sum(axis=2)


def _sum_h(a: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``(items, groups, strata, categories)`` summed over the masked categories."""
    return (a * mask[:, None, None, :]).sum(axis=3)


def _stratified_intervals(n, w, w2, by_stratum, d: Design):
    """``svyciprop`` logit (Korn-Graubard at 0% and 100%) under the stratified design."""
    x_h, x2_h, w_h, w2_h, n_h = by_stratum
    p, a, b = st.share_parts(x_h, x2_h, w_h, w2_h)
    se = np.sqrt(st.variance(a, b, d.strata))
    df = st.domain_df(n_h)
    p, se, n, df, w, w2 = np.broadcast_arrays(p, se, *(np.asarray(v, dtype=np.float64)
                                                       for v in (n, df, w, w2)))
    lo, hi = logit_interval(p, se, df, d.confidence)
    edge = (n > 0) & ((p == 0) | (p == 1))
    if edge.any():
        kg_lo, kg_hi, _ = korn_graubard_interval(p[edge], se[edge], n[edge], df[edge],
                                                 d.confidence,
                                                 n_eff_degenerate=effective_n(w[edge],
                                                                              w2[edge]))
        lo, hi = lo.copy(), hi.copy()
        lo[edge], hi[edge] = kg_lo, kg_hi
    return 100 * lo, 100 * hi, se


def share_intervals(x_n: np.ndarray, x_w: np.ndarray, x_w2: np.ndarray, n: np.ndarray,
                    w: np.ndarray, w2: np.ndarray, d: Design,
                    by_stratum: tuple[np.ndarray, ...] | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intervals (in %) for shares ``x / base`` of any shape (arrays broadcast).

    ``x_n``, ``x_w``, ``x_w2``: respondents, sum of weights and of squared weights in the
    share; ``n``, ``w``, ``w2`` the same for its base. Wilson for unweighted data; for
    design-based data ``svyciprop``'s logit interval, and where the share is 0% or 100%
    (logit undefined, NaN in R) the Korn-Graubard interval, which is then Clopper-Pearson at
    Kish's effective n. Returns ``(lower, upper, se)`` (``se`` NaN when unweighted).

    A stratified design (``d.strata``) needs ``by_stratum``: ``(x_w, x_w2, w, w2, n)`` of
    the share and its base split by stratum on a trailing axis; the degrees of freedom are
    then the domain's respondents minus its strata, as R's ``degf``.
    """
    if d.strata is not None:
        if by_stratum is None:
            raise ValueError("a stratified design needs the sums by stratum")
        return _stratified_intervals(n, w, w2, by_stratum, d)
    if not d.design_based:
        lo, hi = wilson_interval(x_n, n, d.confidence)
        return 100 * lo, 100 * hi, np.full(np.shape(lo), np.nan)
    x_w, x_w2, n, w, w2 = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64)
                                                for a in (x_w, x_w2, n, w, w2)))
    ci = proportion_interval_from_sums(x_w, x_w2, w, w2, n, d.n_total, method="logit",
                                       conf=d.confidence, population=d.population)
    lo, hi = ci.lower, ci.upper
    edge = (n > 0) & ((ci.estimate == 0) | (ci.estimate == 1))
    if edge.any():
        kg = proportion_interval_from_sums(x_w[edge], x_w2[edge], w[edge], w2[edge], n[edge],
                                           d.n_total, method="beta", conf=d.confidence,
                                           population=d.population)
        lo, hi = lo.copy(), hi.copy()
        lo[edge], hi[edge] = kg.lower, kg.upper
    return 100 * lo, 100 * hi, ci.se


def figures(s: CellSums, m: Masks, d: Design,
            sh: CellSums | None = None) -> dict[str, np.ndarray]:
    """Bases, percentages, means and intervals for every item and group.

    Intervals: ``ci_low``/``ci_high`` for % positive, ``ci_neutral_*``, ``ci_negative_*``,
    and ``ci_cat_*`` ``(items, groups + 1, categories + 1)`` for each answer's share.
    ``sh``: the same sums split by stratum (stratified designs); the per-stratum sums of
    the base and of % positive are returned too (keys ending ``_h``), for the tests.
    """
    n = _sum(s.n, m.valid)
    w = _sum(s.w, m.valid)
    w_pos, w2_pos, w2 = _sum(s.w, m.positive), _sum(s.w2, m.positive), _sum(s.w2, m.valid)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {
            "n": n, "w": w, "w2": w2, "w_pos": w_pos, "w2_pos": w2_pos,
            "na": _sum(s.w, m.na), "n_pos": _sum(s.n, m.positive),
            "positive": 100 * w_pos / w, "neutral": 100 * _sum(s.w, m.neutral) / w,
            "negative": 100 * _sum(s.w, m.negative) / w,
            "mean": (s.w * m.score[:, None, :]).sum(axis=2) / w,
            "n_eff": w * w / w2,
        }
    base_h = strat = None
    if d.strata is not None:
        if sh is None:
            raise ValueError("a stratified design needs the sums by stratum")
        base_h = (_sum_h(sh.w, m.valid), _sum_h(sh.w2, m.valid), _sum_h(sh.n, m.valid))
        out.update(w_h=base_h[0], w2_h=base_h[1], n_h=base_h[2],
                   w_pos_h=_sum_h(sh.w, m.positive), w2_pos_h=_sum_h(sh.w2, m.positive))
        strat = (out["w_pos_h"], out["w2_pos_h"], *base_h)
    out["ci_low"], out["ci_high"], out["se"] = share_intervals(
        out["n_pos"], w_pos, w2_pos, n, w, w2, d, strat)
    if base_h is not None:
        _, out["a_pos"], out["b_pos"] = st.share_parts(*strat[:4])
    for key, mask in (("neutral", m.neutral), ("negative", m.negative)):
        strat = None if base_h is None else (_sum_h(sh.w, mask), _sum_h(sh.w2, mask), *base_h)
        lo, hi, _ = share_intervals(_sum(s.n, mask), _sum(s.w, mask), _sum(s.w2, mask), n, w,
                                    w2, d, strat)
        none = ~mask.any(axis=1)[:, None]  # e.g. no midpoint on a 4-point scale: no share
        out[f"ci_{key}_low"], out[f"ci_{key}_high"] = (np.where(none, np.nan, lo),
                                                       np.where(none, np.nan, hi))
    valid = m.valid[:, None, :]  # not-applicable and no-answer columns are not shares
    strat = None
    if base_h is not None:  # categories before the strata axis, as the flat shares
        v4 = m.valid[:, None, None, :]
        strat = (np.moveaxis(sh.w * v4, 2, 3), np.moveaxis(sh.w2 * v4, 2, 3),
                 *(b[:, :, None, :] for b in base_h))
    out["ci_cat_low"], out["ci_cat_high"], _ = share_intervals(
        s.n * valid, s.w * valid, s.w2 * valid, n[:, :, None], w[:, :, None], w2[:, :, None],
        d, strat)
    return out


def omnibus(s: CellSums, m: Masks, d: Design, n_groups: int,
            sh: CellSums | None = None) -> dict[str, np.ndarray]:
    """Item x group independence test for every item, corrected across items (``sh``: the
    sums by stratum, for a stratified design)."""
    G = n_groups
    counts = s.n[:, :G, :] * m.valid[:, None, :]
    chi = chi_square(counts)
    n_items = counts.shape[0]
    method = np.full(n_items, "asymptotic", dtype=object)
    name = np.full(n_items, "chi-square", dtype=object)
    resamples = np.zeros(n_items, dtype=np.int64)  # Monte-Carlo tables drawn
    if d.design_based:
        by_h = {}
        if d.strata is not None:
            v4 = m.valid[:, None, None, :]
            # (items, groups, strata, categories) -> (items, groups, categories, strata)
            by_h = {"strata": d.strata, "w_h": np.moveaxis(sh.w[:, :G] * v4, 2, 3),
                    "w2_h": np.moveaxis(sh.w2[:, :G] * v4, 2, 3)}
        rs = rao_scott_from_sums(s.w[:, :G, :] * m.valid[:, None, :],
                                 s.w2[:, :G, :] * m.valid[:, None, :], d.n_total,
                                 population=d.population, **by_h)
        # df stays the integer (r-1)(c-1); the F test's fractional d0 goes in ndf.
        p, statistic, df, ddf, ndf = rs.p_value, rs.statistic, rs.df, rs.ddf, rs.ndf
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (counts.sum(axis=2) > 0).sum(axis=1)
            c = (counts.sum(axis=1) > 0).sum(axis=1)
            # Rao-Scott's Pearson X^2 is scaled to all respondents (svytable(Ntotal = n)),
            # so Cramér's V on the weighted shares divides by that same n.
            effect = np.sqrt(rs.pearson / (d.n_total * (np.minimum(r, c) - 1)))
        name[:] = "rao-scott"
        method[:] = "F (second-order)"
    else:
        p, statistic, df, effect = (chi["p_value"].copy(), chi["statistic"], chi["df"],
                                    chi["effect_size"])
        ddf = ndf = np.full(n_items, np.nan)
        sparse = np.flatnonzero((chi["min_expected"] < 1) | (chi["share_expected_lt5"] > 0.2))
        # the stopping level only when it is not the default, so that the call stays
        # fisher_test(table, resamples=...) for code that wraps it
        stop = {} if d.exact_stop is None else {"stop_above": d.exact_stop}
        for i in sparse:
            if not np.isfinite(p[i]):
                continue
            exact = fisher_test(counts[i], resamples=d.exact_resamples, **stop)
            p[i] = exact.p_value
            name[i] = "fisher"
            method[i] = exact.method
            resamples[i] = exact.resamples
    return {"name": name, "p_method": method, "resamples": resamples, "statistic": statistic,
            "df": df, "ddf": ddf, "ndf": ndf,
            "p_value": p, "p_adjusted": adjust(p, d.correction), "effect_size": effect,
            "n": chi["n"], "min_expected": chi["min_expected"],
            "share_expected_lt5": chi["share_expected_lt5"]}


def versus_rest(f: dict[str, np.ndarray], d: Design, n_groups: int) -> dict[str, np.ndarray]:
    """Each group's % positive against everyone else's (not-stated included in the rest)."""
    G = n_groups
    total = {k: f[k].sum(axis=1, keepdims=True) for k in ("n", "w", "w2", "w_pos", "w2_pos",
                                                           "n_pos")}
    rest = {k: total[k] - f[k][:, :G] for k in total}
    with np.errstate(divide="ignore", invalid="ignore"):
        rest_pct = 100 * rest["w_pos"] / rest["w"]
    if d.strata is not None:
        # group and rest share strata, so they are not independent: var of the difference
        # is var_g + var_rest - 2 cov (R: svycontrast on svyby(covmat = TRUE))
        keys = ("w_pos_h", "w2_pos_h", "w_h", "w2_h")
        g_h = [f[k][:, :G] for k in keys]
        r_h = [f[k].sum(axis=1, keepdims=True) - f[k][:, :G] for k in keys]
        pg, ag, bg = st.share_parts(*g_h)
        pr, ar, br = st.share_parts(*r_h)
        var = (st.variance(ag, bg, d.strata) + st.variance(ar, br, d.strata)
               - 2 * st.covariance(ag, ar, d.strata))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (pg - pr) / np.sqrt(var)
        p = np.where(np.isfinite(z), 2 * stats.norm.sf(np.abs(z)), np.nan)
        test = "design-based z"
    elif d.design_based:
        pg, seg = proportion_from_sums(f["w_pos"][:, :G], f["w2_pos"][:, :G], f["w"][:, :G],
                                       f["w2"][:, :G], d.n_total, population=d.population)
        pr, ser = proportion_from_sums(rest["w_pos"], rest["w2_pos"], rest["w"], rest["w2"],
                                       d.n_total, population=d.population)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (pg - pr) / np.sqrt(seg ** 2 + ser ** 2)
        p = np.where(np.isfinite(z), 2 * stats.norm.sf(np.abs(z)), np.nan)
        test = "design-based z"
    else:
        p = two_proportions(f["n_pos"][:, :G], f["n"][:, :G], rest["n_pos"],
                            rest["n"])["p_value"]
        test = "two-proportion z"
    return {"rest_n": rest["n"], "rest_pct": rest_pct, "difference": f["positive"][:, :G] - rest_pct,
            "p_value": p, "p_adjusted": adjust(p, d.correction), "test": test}


def letters(f: dict[str, np.ndarray], d: Design, n_groups: int) -> ColumnLetters:
    """Column-proportion letters between the groups, at two levels."""
    G = n_groups
    opts = dict(strict=d.strict, loose=d.loose, correction=d.correction,
                family=d.letters_family)
    if d.design_based:
        cov = None
        if d.strata is not None:  # groups sharing strata are correlated
            a = f["a_pos"][:, :G]
            cov = -np.einsum("igh,ikh,h->igk", a, a, d.strata.centre())
        return column_letters_weighted(f["positive"][:, :G] / 100, se=f["se"][:, :G],
                                       n=f["n"][:, :G], cov=cov, **opts)
    return column_letters(f["n_pos"][:, :G], f["n"][:, :G], **opts)


def mean_test(s: CellSums, m: Masks, d: Design, f: dict[str, np.ndarray],
              n_groups: int, sh: CellSums | None = None) -> dict[str, np.ndarray]:
    """Do mean scores differ across groups? Kruskal-Wallis, or a design-based Wald F."""
    G = n_groups
    if d.design_based:
        by_h = {}
        if d.strata is not None:
            v4 = m.valid[:, None, None, :]
            by_h = {"strata": d.strata, "w_h": sh.w[:, :G] * v4, "w2_h": sh.w2[:, :G] * v4}
        out = weighted_mean_tests(s.w[:, :G, :] * m.valid[:, None, :],
                                  s.w2[:, :G, :] * m.valid[:, None, :], m.score, d.n_total,
                                  n_answered=f["n"][:, :G].sum(axis=1),
                                  population=d.population, **by_h)
        p, statistic, df = out["wald_p_value"], out["wald_F"], out["wald_df"]
        extra = {"ndf": df.astype(np.float64), "ddf": out["wald_ddf"].astype(np.float64),
                 "p_method": np.full(len(p), "F", dtype=object)}
        name = "wald F (weighted means)"
    else:
        out = kruskal_from_counts(s.n[:, :G, :] * m.valid[:, None, :])
        p, statistic, df = out["p_value"], out["statistic"], out["df"]
        extra = {}
        name = "kruskal-wallis"
    return {"name": name, "statistic": statistic, "df": df, "p_value": p,
            "p_adjusted": adjust(p, d.correction), **extra}


def mean_versus_rest(s: CellSums, m: Masks, d: Design, f: dict[str, np.ndarray],
                     n_groups: int, sh: CellSums | None = None) -> dict[str, np.ndarray]:
    """Each group's mean score against everyone else's (not stated in the rest, as for
    :func:`versus_rest`): Mann-Whitney (R ``wilcox.test(exact = FALSE)``) or, weighted, a
    design-based t-test of the domain means (R ``svyttest``)."""
    G = n_groups
    valid = m.valid[:, None, :]
    if d.design_based:
        by_h = {}
        if d.strata is not None:
            v4 = m.valid[:, None, None, :]
            by_h = {"strata": d.strata, "w_h": sh.w * v4, "w2_h": sh.w2 * v4}
        out = weighted_mean_tests(s.w * valid, s.w2 * valid, m.score, d.n_total,
                                  n_answered=f["n"].sum(axis=1), population=d.population,
                                  **by_h)
        diff, p, test = out["difference"][:, :G], out["p_value"][:, :G], "design-based t"
        rest_mean = out["mean"][:, :G] - diff
    else:
        counts = s.n * valid
        p, test = mann_whitney_vs_rest(counts)["p_value"][:, :G], "mann-whitney"
        rest = counts.sum(axis=1, keepdims=True) - counts[:, :G]
        with np.errstate(divide="ignore", invalid="ignore"):
            rest_mean = (rest * m.score[:, None, :]).sum(axis=2) / rest.sum(axis=2)
        diff = f["mean"][:, :G] - rest_mean
    return {"rest_mean": rest_mean, "difference": diff, "p_value": p,
            "p_adjusted": adjust(p, d.correction), "test": test}


def result_record(t: dict, i: int = 0) -> TestResult:
    """Item ``i``'s entry of the arrays a test here returns (:func:`omnibus`,
    :func:`mean_test`), as a record."""
    def num(key: str) -> float:
        return float(t[key][i]) if key in t else float("nan")

    name = t["name"] if isinstance(t["name"], str) else t["name"][i]
    ddf, ndf = num("ddf"), num("ndf")
    return TestResult(
        name=str(name), statistic=num("statistic"), df=int(np.nan_to_num(num("df"))),
        p_value=num("p_value"), p_adjusted=num("p_adjusted"), effect_size=num("effect_size"),
        n=int(np.nan_to_num(num("n"))), min_expected=num("min_expected"),
        share_expected_lt5=num("share_expected_lt5"),
        p_method=str(t["p_method"][i]) if "p_method" in t else "asymptotic",
        ddf=ddf if np.isfinite(ddf) else None, ndf=ndf if np.isfinite(ndf) else None,
        effect_size_name="Cramér's V" if "effect_size" in t else "",
        resamples=int(t["resamples"][i]) if "resamples" in t else 0,
    )
