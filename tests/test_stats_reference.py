"""Every statistic of the new analysis modules against R (``tests/reference``).

``expected.json`` comes from ``make_reference.R`` and ``expected_extra.json`` from
``make_reference_extra.R`` (R 4.2.2, survey 4.1.1); CI needs no R. Each test's docstring
names the R call. Tolerances follow tests/reference/README.md: rel=1e-10 unless the R side
solves numerically (logit interval 1e-8) or simulates (Monte-Carlo p within 0.02).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stats_helpers import DATA, index_data, reference, reference_extra, weighted_data

from surveykit.analysis.exact import chisq_monte_carlo, fisher_test, needs_exact
from surveykit.analysis.indices import composite_index, cronbach_alpha, index_by_group
from surveykit.analysis.intervals import (
    linearised_mean,
    weighted_proportion_interval,
    wilson_interval,
)
from surveykit.analysis.letters import column_letters, pairwise_z
from surveykit.analysis.significance import adjust_rows
from surveykit.analysis.meantests import (
    kruskal_from_counts,
    mann_whitney_from_counts,
    weighted_mean_tests,
)
from surveykit.analysis.multitests import multi_tests
from surveykit.analysis.raoscott import rao_scott
from surveykit.analysis.weights import cell_sums, fpc_factor, kish_by_group, kish_n_eff, rake

R = reference()
RX = reference_extra()
D = weighted_data()
REL = 1e-10


# ------------------------------------------------------------------ chisq / exact ----

@pytest.mark.parametrize("name,expected", [("table_6x5", False), ("table_4x5_sparse", True),
                                           ("table_2x2", False)])
def test_needs_exact_on_r_expected_counts(name, expected):
    """R: ``chisq.test(tab, correct = FALSE)$expected``; Cochran's rule on it.

    6x5: min 4.56, 2 of 30 cells < 5 (6.7%); 4x5 sparse: min 0.60 < 1; 2x2: min 34.5.
    """
    assert bool(needs_exact(np.array(R["chisq"][name]["expected"]))) is expected


def test_fisher_rxc_exact_matches_r():
    """R: ``fisher.test(tab)$p.value`` for the 2x3 table of fisher_2x3.csv (exact)."""
    tab = pd.read_csv(DATA / "fisher_2x3.csv").iloc[:, 1:].to_numpy()
    res = fisher_test(tab)
    assert res.method == "fisher enumeration"
    assert res.p_value == pytest.approx(R["fisher"]["fisher_p_value"], rel=1e-10)


@pytest.mark.parametrize("name", ["table_3x4", "table_2x3", "table_2x2"])
def test_fisher_extra_tables_match_r(name):
    """R: ``fisher.test(t)$p.value`` (network algorithm; 2x2 via scipy's hypergeometric)."""
    ref = RX["fisher"][name]
    assert fisher_test(np.array(ref["table"])).p_value == pytest.approx(ref["p_value"],
                                                                       rel=1e-9)


def test_fisher_monte_carlo_close_to_exact_r():
    """R: ``fisher.test(tab)$p.value`` (0.0410); simulated here with 20000 tables."""
    res = fisher_test(np.array(R["fisher"]["table"]), max_tables=1)
    assert res.method == "fisher monte carlo" and res.resamples == 20_000
    assert abs(res.p_value - R["fisher"]["fisher_p_value"]) < 0.01  # MC SE ~0.0014


def test_simulated_chisq_close_to_r():
    """R: ``set.seed(2024); chisq.test(tab, simulate.p.value = TRUE, B = 20000)``.

    The statistic is exact; the p-value is random on both sides (SE ~0.0015).
    """
    ref = R["fisher"]["simulated_chisq"]
    res = chisq_monte_carlo(np.array(R["fisher"]["table"]), resamples=ref["B"])
    assert res.statistic == pytest.approx(ref["statistic"], rel=REL)
    assert abs(res.p_value - ref["p_value"]) < 0.02


# ---------------------------------------------------------------- corrections ----

@pytest.mark.parametrize("method,key", [("holm", "holm"), ("bh", "BH"),
                                        ("bonferroni", "bonferroni")])
def test_adjust_rows_matches_r_p_adjust(method, key):
    """R: ``p.adjust(p, method)`` for the 12 p-values with ties."""
    got = adjust_rows(np.array([R["p_adjust"]["p"]]), method)[0]
    assert got == pytest.approx(R["p_adjust"][key], rel=1e-12)


def test_wave_change_holm_with_adjust_rows():
    """R: ``p.adjust(sapply(prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$p.value), "holm")``."""
    assert adjust_rows(np.array([R["wave_change"]["p_values"]]), "holm")[0] == pytest.approx(
        R["wave_change"]["p_holm"], rel=1e-12)


# ------------------------------------------------------------------ intervals ----

def test_wilson_matches_r_prop_test():
    """R: ``prop.test(x, n, correct = FALSE, conf.level = conf)$conf.int``."""
    for r in R["prop_ci"]["one_sample_wilson"]:
        lo, hi = wilson_interval(r["x"], r["n"], r["conf_level"])
        assert (float(lo), float(hi)) == pytest.approx((r["lower"], r["upper"]), rel=REL,
                                                       abs=1e-15)


def test_two_sample_pairwise_z_matches_r_prop_test():
    """R: ``prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$p.value``."""
    for r in R["prop_ci"]["two_sample"]:
        p = pairwise_z(np.array([[r["x1"], r["x2"]]]), np.array([[r["n1"], r["n2"]]]))
        assert p[0, 0, 1] == pytest.approx(r["p_value"], rel=1e-9)
        assert p[0, 1, 0] == p[0, 0, 1]


def test_weighted_mean_positive_domain_se():
    """R: ``svymean(~pos, svydesign(ids = ~1, weights = ~w, data = d), na.rm = TRUE)``."""
    ref = R["weighted"]["mean_positive"]
    out = weighted_proportion_interval(D["pos"], D["w"])
    assert float(out.estimate) == pytest.approx(ref["estimate"], rel=REL)
    assert float(out.se) == pytest.approx(ref["se"], rel=REL)


def test_weighted_mean_positive_complete_case_design():
    """R: ``SE(svymean(~pos, svydesign(ids = ~1, weights = ~w, data = d[!is.na(d$item), ])))``
    (n = 285 rows, not a domain of 300)."""
    ok = np.isfinite(D["pos"])
    out = weighted_proportion_interval(D["pos"][ok], D["w"][ok])
    assert float(out.se) == pytest.approx(R["weighted"]["mean_positive"]["se_complete_case_design"],
                                          rel=REL)


def test_weighted_mean_positive_na_as_negative():
    """R: ``svymean(~I(item %in% c(4, 5)), des, na.rm = TRUE)`` (TRUE column; NA counts 0)."""
    ref = R["weighted"]["mean_positive"]
    out = weighted_proportion_interval(np.nan_to_num(D["pos"]), D["w"])
    assert float(out.estimate) == pytest.approx(ref["estimate_na_as_negative"], rel=REL)
    assert float(out.se) == pytest.approx(ref["se_na_as_negative"], rel=REL)


def _ciprop_cases():
    ci = R["weighted"]["ciprop"]
    yield "overall", None, ci["overall"]
    for ref in ci["by_group"]:
        yield f"group {ref['level']}", ("group", "ABCD".index(ref["level"])), ref
    for ref in ci["by_group2"]:
        yield f"group2 {ref['level']}", ("group2", "XYZ".index(ref["level"])), ref


@pytest.mark.parametrize("label,domain,ref", list(_ciprop_cases()),
                         ids=[c[0] for c in _ciprop_cases()])
def test_svyciprop_logit_and_beta(label, domain, ref):
    """R: ``svyciprop(~I(item %in% c(4, 5)), D, method = "logit" | "beta")``,
    ``svymean(~as.numeric(item %in% c(4, 5)), D)`` and ``degf(D)``, with
    ``D = subset(des, !is.na(item))`` (optionally ``[group == g, ]``)."""
    mask = None if domain is None else D[domain[0]] == domain[1]
    lg = weighted_proportion_interval(D["pos"], D["w"], mask, method="logit")
    bt = weighted_proportion_interval(D["pos"], D["w"], mask, method="beta")
    assert float(lg.n) == ref["n"] and float(lg.df) == ref["df"]
    assert float(lg.sum_w) == pytest.approx(ref["sum_w"], rel=REL)
    assert float(lg.estimate) == pytest.approx(ref["estimate"], rel=REL)
    assert float(lg.se) == pytest.approx(ref["se"], rel=REL)
    assert (float(lg.lower), float(lg.upper)) == pytest.approx(
        (ref["logit"]["lower"], ref["logit"]["upper"]), rel=1e-8)
    assert (float(bt.lower), float(bt.upper)) == pytest.approx(
        (ref["beta"]["lower"], ref["beta"]["upper"]), rel=REL)


def test_svyciprop_with_fpc():
    """R: ``svyciprop(~I(item %in% c(4, 5)), subset(svydesign(ids = ~1, weights = ~w,
    fpc = ~N, data = d), !is.na(item)), method = "logit" | "beta")`` with N = 1000."""
    for ref in RX["ciprop_fpc"]:
        out = weighted_proportion_interval(D["pos"], D["w"], method=ref["method"],
                                           population=1000)
        assert float(out.estimate) == pytest.approx(ref["estimate"], rel=REL)
        rel = 1e-8 if ref["method"] == "logit" else REL
        assert (float(out.lower), float(out.upper)) == pytest.approx(
            (ref["lower"], ref["upper"]), rel=rel)


def test_fpc_standard_errors():
    """R: ``svymean(~pos, des_fpc, na.rm = TRUE)`` and ``svymean(~item, des_fpc, na.rm =
    TRUE)`` with ``des_fpc = svydesign(ids = ~1, weights = ~w, fpc = ~N, data = d)``."""
    ref = R["weighted"]["fpc"]
    pos = weighted_proportion_interval(D["pos"], D["w"], population=ref["N"])
    assert float(pos.se) == pytest.approx(ref["positive"]["se_with_fpc"], rel=REL)
    ok = D["item"] >= 0
    w, y = D["w"][ok], D["score"][ok]
    for population, key in ((None, "se_without_fpc"), (ref["N"], "se_with_fpc")):
        mean, se = linearised_mean(w.sum(), (w * y).sum(), (w * w).sum(), (w * w * y).sum(),
                                   (w * w * y * y).sum(), len(D["w"]), population=population)
        assert float(mean) == pytest.approx(ref["item_mean"]["estimate"], rel=REL)
        assert float(se) == pytest.approx(ref["item_mean"][key], rel=REL)
    assert float(fpc_factor(ref["n"], ref["N"])) == pytest.approx(np.sqrt(1 - 300 / 1000))


# ------------------------------------------------------------------ Kish, raking ----

def test_kish_effective_n():
    """R: ``sum(w)^2 / sum(w^2)`` overall and by group/group2, all rows and non-missing."""
    kish = R["weighted"]["kish"]
    ok = D["item"] >= 0
    assert kish_n_eff(D["w"]) == pytest.approx(kish["overall"]["kish_n_eff"], rel=REL)
    assert kish_n_eff(D["w"], ok) == pytest.approx(
        kish["overall"]["kish_n_eff_nonmissing_item"], rel=REL)
    for var, levels in (("group", "ABCD"), ("group2", "XYZ")):
        refs = kish[f"by_{var}"]
        assert kish_by_group(D["w"], D[var], len(levels)) == pytest.approx(
            [r["kish_n_eff"] for r in refs], rel=REL)
        assert kish_by_group(D["w"], D[var], len(levels), ok) == pytest.approx(
            [r["kish_n_eff_nonmissing_item"] for r in refs], rel=REL)


def _rake(**kw):
    ref = R["rake"]
    return rake([D["group"], D["group2"]],
                [ref["population_group"]["total"], ref["population_group2"]["total"]], **kw)


def test_rake_reproduces_survey_default_rule():
    """R: ``rake(des1, list(~group, ~group2), list(pop_group, pop_group2))`` (maxit 10,
    epsilon 1: stops after 3 passes, group margins off by up to 8e-4)."""
    ref = R["rake"]
    out = _rake(max_iter=10, epsilon=1)
    assert out.report.iterations == ref["passes_default"]
    assert out.weights == pytest.approx(ref["weights_rake_default"], rel=1e-12)
    assert np.bincount(D["group"], weights=out.weights) == pytest.approx(
        ref["margins_default"]["group"], rel=1e-12)


def test_rake_converged_matches_r_and_calibrate():
    """R: ``rake(..., control = list(maxit = 1000, epsilon = 1e-12))`` and
    ``calibrate(des1, ~group + group2, population, calfun = "raking")``."""
    ref = R["rake"]
    out = _rake(max_iter=1000, epsilon=1e-12)
    assert out.report.converged and out.report.iterations == ref["passes_converged"]
    assert out.weights == pytest.approx(ref["weights_rake_converged"], rel=1e-9)
    for cell in ref["cells"]:
        sel = (D["group"] == "ABCD".index(cell["group"])) & (
            D["group2"] == "XYZ".index(cell["group2"]))
        assert sel.sum() == cell["n"]
        assert out.weights[sel] == pytest.approx(cell["weight_calibrate_raking"], rel=1e-9)
    assert np.bincount(D["group2"], weights=out.weights) == pytest.approx(
        ref["margins_converged"]["group2"], rel=1e-12)


# ------------------------------------------------------------------- Rao-Scott ----

def test_svychisq_item_group_second_and_first_order():
    """R: ``svychisq(~item + group, des)`` (F) and ``svychisq(..., statistic = "Chisq")``."""
    ref = R["weighted"]["svychisq_item_group"]
    out = rao_scott(D["item"], D["group"], 4, D["w"])
    assert out.statistic[0] == pytest.approx(ref["F"]["statistic"], rel=REL)
    assert out.ndf[0] == pytest.approx(ref["F"]["ndf"], rel=REL)
    assert out.ddf[0] == pytest.approx(ref["F"]["ddf"], rel=REL)
    assert out.p_value[0] == pytest.approx(ref["F"]["p_value"], rel=1e-9)
    assert out.pearson[0] == pytest.approx(ref["Chisq"]["statistic"], rel=REL)
    assert out.statistic_first_order[0] == pytest.approx(ref["Chisq"]["statistic_adjusted"],
                                                         rel=REL)
    assert out.df[0] == ref["Chisq"]["df"]
    assert out.p_value_first_order[0] == pytest.approx(ref["Chisq"]["p_value"], rel=1e-9)
    internals = ref["internals"]
    assert out.trace[0] == pytest.approx(internals["trace_delta"], rel=REL)
    assert out.trace_squared[0] == pytest.approx(internals["trace_delta_squared"], rel=REL)
    assert out.trace[0] / out.df[0] == pytest.approx(internals["mean_eigenvalue"], rel=REL)
    assert out.sum_w[0] == pytest.approx(np.sum(ref["weighted_table"]), rel=REL)


@pytest.mark.parametrize("case", ["item_group2", "item_group_fpc", "item_z_group_empty_cell",
                                  "pos_group", "pos_group_unit_weights"])
def test_svychisq_variants(case):
    """R: ``svychisq(~item + group2, des)``; ``svychisq(~item + group, des_fpc)``;
    ``svychisq(~item_z + group, des)`` (item_z: group D's 5s recoded 4, an empty cell);
    ``svychisq(~pos + group, des)``; and with ``svydesign(ids = ~1, weights = ~1)``."""
    ref = RX["svychisq"][case]
    item, group, g, w, pop = D["item"], D["group"], 4, D["w"], None
    if case == "item_group2":
        group, g = D["group2"], 3
    elif case == "item_group_fpc":
        pop = 1000
    elif case == "item_z_group_empty_cell":
        item = np.where((D["group"] == 3) & (item == 4), 3, item)
    else:
        item = np.where(item < 0, -1, (item >= 3).astype(np.int64))
        w = None if case.endswith("unit_weights") else w
    out = rao_scott(item, group, g, w, population=pop)
    for key in ("statistic", "ndf", "ddf"):
        assert getattr(out, key)[0] == pytest.approx(ref[key], rel=REL)
    assert out.p_value[0] == pytest.approx(ref["p_value"], rel=1e-8)


def test_multi_response_option_weighted_test_is_svychisq():
    """R: ``svychisq(~pos + group, des)``: an option ticked (item 4/5) among those who
    answered, by group, is the same 2 x G Rao-Scott test."""
    ticks = (D["pos"] == 1)[:, None]
    out = multi_tests(ticks, D["item"] >= 0, D["group"], 4, D["w"])
    ref = RX["svychisq"]["pos_group"]
    assert out.method == "rao-scott"
    assert out.statistic[0] == pytest.approx(ref["statistic"], rel=REL)
    assert out.p_value[0] == pytest.approx(ref["p_value"], rel=1e-8)


# ------------------------------------------------------------ means and ranks ----

def test_weighted_means_ttests_and_wald():
    """R: ``svyby(~item, ~group, des, svymean, na.rm = TRUE)``; ``svyttest(item ~ in_g,
    des)`` per group; ``regTermTest(svyglm(item ~ group, des), ~group)``."""
    ref = RX["weighted_means"]
    s = cell_sums(D["item"], D["group"], 4, 5, D["w"])
    n_answered = int((D["item"] >= 0).sum())
    out = weighted_mean_tests(s.w[0, :4, :5], s.w2[0, :4, :5], np.arange(1, 6), len(D["w"]),
                              n_answered=n_answered)
    assert out["mean"] == pytest.approx(ref["mean"], rel=REL)
    assert out["se"] == pytest.approx(ref["se"], rel=REL)
    tt = ref["vs_rest"]
    assert out["difference"] == pytest.approx([t["difference"] for t in tt], rel=REL)
    assert out["t"] == pytest.approx([t["statistic"] for t in tt], rel=REL)
    assert out["df"] == tt[0]["df"]
    assert out["p_value"] == pytest.approx([t["p_value"] for t in tt], rel=1e-9)
    assert float(out["wald_F"]) == pytest.approx(ref["wald"]["statistic"], rel=REL)
    assert int(out["wald_df"]) == ref["wald"]["df"]
    assert float(out["wald_ddf"]) == ref["wald"]["ddf"]
    assert float(out["wald_p_value"]) == pytest.approx(ref["wald"]["p_value"], rel=1e-9)


def _kruskal_table() -> np.ndarray:
    kd = pd.read_csv(DATA / "kruskal.csv")
    return pd.crosstab(kd["group"], kd["value"]).reindex(columns=range(1, 8),
                                                         fill_value=0).to_numpy()


def test_kruskal_from_counts_matches_r():
    """R: ``kruskal.test(value ~ factor(group), data = kd)`` (tie-corrected H)."""
    ref = R["kruskal"]["kruskal"]
    out = kruskal_from_counts(_kruskal_table())
    assert float(out["statistic"]) == pytest.approx(ref["statistic"], rel=REL)
    assert int(out["df"]) == ref["df"]
    assert float(out["p_value"]) == pytest.approx(ref["p_value"], rel=1e-9)


@pytest.mark.parametrize("continuity,key", [(True, "p_value"), (False, "p_value_no_continuity")])
def test_mann_whitney_from_counts_matches_r(continuity, key):
    """R: ``wilcox.test(value[g1], value[g2], exact = FALSE, correct = TRUE | FALSE)``."""
    ref = R["kruskal"]["wilcox"]
    t = _kruskal_table()
    out = mann_whitney_from_counts(t[0], t[1], continuity=continuity)
    assert float(out["statistic"]) == ref["statistic_W"]
    assert float(out["p_value"]) == pytest.approx(ref[key], rel=1e-9)


# ------------------------------------------------------------- letters, indices ----

@pytest.mark.parametrize("method,key", [("none", "p_none"), ("holm", "p_holm"),
                                        ("bonferroni", "p_bonferroni")])
def test_column_letters_p_values_match_pairwise_prop_test(method, key):
    """R: ``pairwise.prop.test(x, n, p.adjust.method = method, correct = FALSE)``: the
    family is the pairs within the item, as ``family="item"``."""
    ref = RX["pairwise"]
    out = column_letters(np.array([ref["x"]]), np.array([ref["n"]]), correction=method)
    lower = np.array(ref[key], dtype=float)  # rows B..D, columns A..C
    for i in range(3):
        for j in range(i + 1):
            assert out.p_adjusted[0, i + 1, j] == pytest.approx(lower[i, j], rel=1e-9)


def test_cronbach_alpha_matches_r():
    """R: ``k/(k-1) * (1 - sum(apply(X, 2, var)) / var(rowSums(X)))``, alpha-if-deleted,
    ``cor(X[, j], rowSums(X[, -j]))``, ``cor(X[, j], rowSums(X))`` and standardized alpha."""
    ref = R["alpha"]
    out = cronbach_alpha(pd.read_csv(DATA / "alpha_items.csv").to_numpy(dtype=float))
    assert (out.n, out.k) == (ref["n"], ref["k"])
    for key in ("alpha", "standardized_alpha", "total_variance"):
        assert getattr(out, key) == pytest.approx(ref[key], rel=REL)
    for key in ("alpha_if_deleted", "item_rest_cor", "item_total_cor", "item_variances"):
        assert getattr(out, key) == pytest.approx(ref[key], rel=REL)


@pytest.mark.parametrize("key,share", [("all_items", 1.0), ("half_items", 0.5)])
def test_index_by_group_matches_svymean(key, share):
    """R: ``svymean(~index, ides, na.rm = TRUE)`` and ``svyby(~index, ~g, ides, svymean,
    na.rm = TRUE)``, ``ides = svydesign(ids = ~1, weights = ~w)``, index = rowMeans of
    (q - 1) * 25 for complete rows (all_items) or rows with >= 3 of 5 answers (half)."""
    ref = RX["index"][key]
    data = index_data()
    index = composite_index(data["codes"], 5, min_share=share)
    out = index_by_group(index, data["group"], 3, data["w"])
    assert out.overall == pytest.approx(ref["overall"], rel=REL)
    assert out.overall_se == pytest.approx(ref["overall_se"], rel=REL)
    assert out.mean == pytest.approx(ref["by_group"], rel=REL)
    assert out.se == pytest.approx(ref["by_group_se"], rel=REL)
    assert out.n.tolist() == ref["n"]
