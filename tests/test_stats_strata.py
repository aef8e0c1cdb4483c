"""The stratified design with an FPC per stratum, against R ``survey``, and its properties.

Data: ``tests/reference/data/strata.csv`` (weighted.csv with sector = group2, 10 rows not
stating it, a second item, a tick-all question and a 2-item index); expected values from
``tests/reference/make_reference_extra.R`` (``strata`` entry, see README_extra.md) with
``svydesign(ids = ~1, strata = ~stratum, fpc = ~Nh, weights = ~w)``, the not-stated rows a
stratum of their own with ``fpc = Inf``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stats_helpers import DATA, reference_extra

from surveykit import Survey, analyse
from surveykit.analysis import itemstats
from surveykit.analysis.analyse import _masks
from surveykit.analysis.intervals import korn_graubard_interval
from surveykit.analysis.meantests import weighted_mean_tests
from surveykit.analysis.multitests import multi_tests, tick_sums
from surveykit.analysis.raoscott import rao_scott_from_sums
from surveykit.analysis.strata import (
    NOT_STATED,
    by_stratum,
    domain_df,
    make_strata,
    share_parts,
    variance,
)
from surveykit.analysis.weights import CellSums, cell_sums_many
from surveykit.codebook import parse_codebook
from surveykit.errors import InputError, UsageError
from surveykit.model import Population, PopulationRow

R = reference_extra()["strata"]
FIVE = {"labels": ["1", "2", "3", "4", "5"], "codes": [1, 2, 3, 4, 5],
        "positive": ["4", "5"], "negative": ["1", "2"], "neutral": ["3"]}
SHARES = {"positive": [3, 4], "negative": [0, 1], "neutral": [2], "c1": [0], "c2": [1],
          "c3": [2], "c4": [3], "c5": [4]}


def codebook(sectors=("X", "Y", "Z"), weighted=True):
    return parse_codebook({
        "scales": {"five": FIVE},
        "items": [{"id": "item", "scale": "five"}, {"id": "item2", "scale": "five"}],
        "multi": [{"id": "opts", "columns": {"opt_a": "opt_a", "opt_b": "opt_b",
                                             "opt_c": "opt_c"}}],
        "indices": [{"id": "idx", "items": ["item", "item2"]}],
        "breakdowns": [{"id": "group", "groups": ["A", "B", "C", "D"]},
                       {"id": "sector", "groups": list(sectors)}],
        **({"weight": "w"} if weighted else {})})


def headcounts(counts: dict[str, float], breakdown: str = "sector") -> Population:
    return Population(source="headcounts.csv", rows=tuple(
        PopulationRow(row=i + 2, breakdown=breakdown, group=g, headcount=float(n))
        for i, (g, n) in enumerate(counts.items())))


@pytest.fixture(scope="module")
def frame():
    return pd.read_csv(DATA / "strata.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def survey(frame):
    return Survey.from_frame(frame, codebook())


@pytest.fixture(scope="module")
def population():
    return headcounts(R["headcounts"])


@pytest.fixture(scope="module")
def results(survey, population):
    return analyse(survey, population=population)


@pytest.fixture(scope="module")
def parts(survey, population):
    """Cell sums of ``item`` by group and by sector, split by stratum, and the strata."""
    strata = make_strata(survey.group_codes["sector"], survey.groups["sector"], population,
                         "sector")
    cubes = cell_sums_many(survey.item_codes, [survey.group_codes[b] for b in ("group", "sector")],
                           [4, 3], 5, survey.weights, keep=1)
    split = [CellSums(*(by_stratum(getattr(c, k), strata, 2) for k in ("n", "w", "w2")))
             for c in cubes]
    flat = [CellSums(*(getattr(c, k).sum(axis=2) for k in ("n", "w", "w2"))) for c in cubes]
    return strata, flat, split


def _domains(results):
    item = results.item("item")
    out = {"overall": item.overall}
    for b in ("group", "sector"):
        out.update({f"{b}_{g.group}": g.figures for g in item.by[b].groups})
    return out


# --- against R ------------------------------------------------------------------------

def test_strata_as_r_builds_them(survey, population, results):
    strata = make_strata(survey.group_codes["sector"], survey.groups["sector"], population,
                         "sector")
    assert strata.labels == ("X", "Y", "Z", NOT_STATED)
    assert strata.n.tolist() == [*R["n"], R["not_stated"]]
    assert strata.population[:3].tolist() == list(R["headcounts"].values())
    assert math.isinf(strata.population[3])  # not stated: no FPC
    assert strata.nu() == R["degf"]
    s = results.settings
    assert s.design == "stratified by sector with finite population correction"
    assert s.strata["breakdown"] == "sector" and s.strata["strata"][-1] == NOT_STATED
    assert s.population == pytest.approx(sum(R["headcounts"].values()))


def test_intervals_of_every_share_against_svyciprop(results):
    """R: ``svyciprop(~y, subset(subset(des_s, !is.na(item)), domain), "logit")`` for %
    positive, neutral, negative and every answer, overall and in every group. R fits the
    logit interval iteratively (``svyglm``), hence rel 1e-7 (as README_extra says)."""
    figs = _domains(results)
    for e in R["ciprop"]:
        fig = figs[e["domain"]]
        lo, hi = {"positive": (fig.ci_low, fig.ci_high), "negative": fig.negative_ci,
                  "neutral": fig.neutral_ci}.get(e["share"], (None, None))
        if lo is None:
            lo, hi = fig.counts_ci[int(e["share"][1]) - 1]
        assert lo == pytest.approx(100 * e["lower"], rel=1e-7), e
        assert hi == pytest.approx(100 * e["upper"], rel=1e-7), e


def test_standard_errors_df_and_korn_graubard_against_r(parts):
    """``SE(svymean(~y, domain))``, ``degf(domain)`` and ``svyciprop(method = "beta")``,
    from the per-stratum sums of each domain's answers."""
    strata, flat, split = parts
    sh = {"group": split[0], "sector": split[1]}
    for e in R["ciprop"]:
        kind, _, label = e["domain"].partition("_")
        if kind == "overall":
            cube = CellSums(*(getattr(sh["group"], k).sum(axis=1) for k in ("n", "w", "w2")))
        else:
            g = ("ABCD" if kind == "group" else "XYZ").index(label)
            cube = CellSums(*(getattr(sh[kind], k)[:, g] for k in ("n", "w", "w2")))
        w, w2, n = (getattr(cube, k)[0, :, :5] for k in ("w", "w2", "n"))  # item, (H, 5)
        cats = SHARES[e["share"]]
        p, a, b = share_parts(w[:, cats].sum(axis=1), w2[:, cats].sum(axis=1), w.sum(axis=1),
                              w2.sum(axis=1))
        se = math.sqrt(variance(a, b, strata))
        assert p == pytest.approx(e["estimate"], rel=1e-12)
        assert se == pytest.approx(e["se"], rel=1e-10), e
        df = domain_df(n.sum(axis=1))
        assert df == e["df"]
        if e["share"] == "positive":
            lo, hi, _ = korn_graubard_interval(p, se, n.sum(), df)
            assert lo == pytest.approx(e["beta_lower"], rel=1e-9)
            assert hi == pytest.approx(e["beta_upper"], rel=1e-9)


@pytest.mark.parametrize("key, breakdown", [("item_group", "group"), ("item_sector", "sector")])
def test_rao_scott_in_the_results_against_svychisq(results, key, breakdown):
    test = results.item("item").by[breakdown].test
    ref = R["svychisq"][key]
    assert test.name == "rao-scott"
    assert test.statistic == pytest.approx(ref["statistic"], rel=1e-9)
    assert test.ndf == pytest.approx(ref["ndf"], rel=1e-9)
    assert test.ddf == pytest.approx(ref["ddf"], rel=1e-9)
    assert test.p_value == pytest.approx(ref["p_value"], rel=1e-8)


def test_rao_scott_with_an_empty_cell_against_svychisq(frame, population):
    """``item_z``: group D's 5s recoded to 4, so cell (5, D) is empty and the general
    (contrast-basis) path runs, with the strata's rank-one terms."""
    z = frame.copy()
    z.loc[(z["group"] == "D") & (z["item"] == "5"), "item"] = "4"
    test = analyse(Survey.from_frame(z, codebook()), population=population).item("item")
    ref = R["svychisq"]["item_z_group"]
    t = test.by["group"].test
    assert t.statistic == pytest.approx(ref["statistic"], rel=1e-9)
    assert t.ndf == pytest.approx(ref["ndf"], rel=1e-9)
    assert t.ddf == pytest.approx(ref["ddf"], rel=1e-9)
    assert t.p_value == pytest.approx(ref["p_value"], rel=1e-8)


@pytest.mark.parametrize("key, b", [("pos_group", 0), ("pos_sector", 1)])
def test_rao_scott_of_a_two_row_table_against_svychisq(parts, key, b):
    """% positive (4-5 vs 1-3) by group / sector: the table a tick-all option test makes."""
    strata, flat, split = parts
    G = 4 if b == 0 else 3
    pos = np.zeros(6, dtype=bool)
    pos[3:5] = True
    rest = np.zeros(6, dtype=bool)
    rest[:3] = True

    def table(a):  # (groups, ..., categories) -> (2, groups, ...)
        return np.stack([(a[..., pos]).sum(axis=-1), (a[..., rest]).sum(axis=-1)])

    w, w2 = table(flat[b].w[0, :G]), table(flat[b].w2[0, :G])
    w_h, w2_h = table(split[b].w[0, :G]), table(split[b].w2[0, :G])
    rs = rao_scott_from_sums(w, w2, 300.0, strata=strata, w_h=w_h, w2_h=w2_h)
    ref = R["svychisq"][key]
    assert rs.statistic[0] == pytest.approx(ref["statistic"], rel=1e-9)
    assert rs.ndf[0] == pytest.approx(ref["ndf"], rel=1e-9)
    assert rs.ddf[0] == pytest.approx(ref["ddf"], rel=1e-9)
    assert rs.p_value[0] == pytest.approx(ref["p_value"], rel=1e-8)


@pytest.mark.parametrize("breakdown", ["group", "sector"])
def test_group_vs_rest_against_svycontrast(results, breakdown):
    """R: ``svycontrast(svyby(~pos, ~in_g, ..., covmat = TRUE), c(-1, 1))``, normal p. The
    rest includes those who did not state the breakdown; group and rest share strata."""
    for g, ref in zip(results.item("item").by[breakdown].groups, R["vs_rest"][breakdown]):
        assert g.group == ref["group"]
        assert g.vs_rest.difference == pytest.approx(100 * ref["difference"], rel=1e-10)
        assert g.vs_rest.p_value == pytest.approx(ref["p_value"], rel=1e-9)
        assert g.vs_rest.test == "design-based z"


@pytest.mark.parametrize("b, breakdown", [(0, "group"), (1, "sector")])
def test_column_letters_against_svycontrast(results, survey, parts, b, breakdown):
    """Pairwise p of ``svycontrast`` on ``svyby(covmat = TRUE)`` (groups correlated through
    the strata), Holm within the item, and the letters R derives from them."""
    strata, flat, split = parts
    ref = R["letters"][breakdown]
    G = len(ref["groups"])
    masks, _, _ = _masks(survey)
    design = itemstats.Design(weighted=True, n_total=300.0, strata=strata)
    f = itemstats.figures(flat[b], masks, design, split[b])
    lett = itemstats.letters(f, design, G)
    expected = np.array([[np.nan if v is None else v for v in row] for row in ref["p"]])
    assert np.allclose(lett.p_value[0], expected, rtol=1e-9, equal_nan=True)
    holm = np.array([[np.nan if v is None else v for v in row] for row in ref["p_holm"]])
    assert np.allclose(lett.p_adjusted[0], holm, rtol=1e-9, equal_nan=True)
    shown = ["".join(g.higher_than) for g in results.item("item").by[breakdown].groups]
    assert shown == ref["letters"]


@pytest.mark.parametrize("breakdown", ["group", "sector"])
def test_wald_test_of_means_against_regtermtest(results, breakdown):
    """R: ``regTermTest(svyglm(item ~ breakdown, des_s), ~breakdown)``: the domain means'
    full covariance (strata make them correlated) and ddf = n - strata + 1 - groups."""
    t = results.item("item").by[breakdown].mean_test
    ref = R["mean_tests"][breakdown]
    assert t.statistic == pytest.approx(ref["statistic"], rel=1e-9)
    assert t.df == ref["df"]
    assert t.ddf == ref["ddf"]
    assert t.p_value == pytest.approx(ref["p_value"], rel=1e-8)


@pytest.mark.parametrize("breakdown", ["group", "sector"])
def test_mean_score_vs_rest_against_svyttest(results, breakdown):
    """R: ``svyttest(item ~ in_g, des_s)``, in_g FALSE for the not stated (they are part
    of the rest): group and rest share strata, so the t-test uses their covariance."""
    groups = results.item("item").by[breakdown].groups
    for g, ref in zip(groups, R["mean_vs_rest"][breakdown]):
        assert g.group == ref["group"]
        m = g.mean_vs_rest
        assert m.test == "design-based t"
        assert m.difference == pytest.approx(ref["difference"], rel=1e-10)
        assert m.p_value == pytest.approx(ref["p_value"], rel=1e-8)
        assert m.rest_mean == pytest.approx(g.figures.mean - ref["difference"], rel=1e-12)


@pytest.mark.parametrize("b, breakdown", [(0, "group"), (1, "sector")])
def test_domain_means_and_ses_against_svyby(survey, parts, b, breakdown):
    strata, flat, split = parts
    G = 4 if b == 0 else 3
    scores = np.arange(1.0, 7.0)
    valid = np.r_[np.ones(5), 0.0]
    out = weighted_mean_tests(flat[b].w[0, :G] * valid, flat[b].w2[0, :G] * valid, scores,
                              300.0, strata=strata, w_h=split[b].w[0, :G] * valid,
                              w2_h=split[b].w2[0, :G] * valid)
    ref = R["mean_tests"][f"{breakdown}_means"]
    assert out["mean"] == pytest.approx(ref["mean"], rel=1e-12)
    assert out["se"] == pytest.approx(ref["se"], rel=1e-10)


@pytest.mark.parametrize("breakdown, labels", [("group", "ABCD"), ("sector", "XYZ")])
def test_tick_all_option_tests_against_r(results, survey, population, breakdown, labels):
    """Each option ticked x group: ``svychisq(~opt + group, des_s)``; group vs rest:
    ``svyttest(opt ~ in_g, des_s)`` (df = answered - strata - 1)."""
    tests = {t.option: t for t in results.multi[0].tests[breakdown]}
    strata = make_strata(survey.group_codes["sector"], survey.groups["sector"], population,
                         "sector")
    mt = multi_tests(survey.multi_ticks["opts"], survey.multi_answered["opts"],
                     survey.group_codes[breakdown], len(labels), survey.weights,
                     strata=strata)
    for j, ref in enumerate(R["options"][breakdown]):
        t = tests[ref["option"]]
        assert t.name == "rao-scott"
        assert t.statistic == pytest.approx(ref["chisq"]["statistic"], rel=1e-9)
        assert t.df == pytest.approx(ref["chisq"]["ndf"], rel=1e-9)
        assert t.p_value == pytest.approx(ref["chisq"]["p_value"], rel=1e-8)
        for g, rr in enumerate(ref["vs_rest"]):
            assert mt.difference[j, g] == pytest.approx(100 * rr["difference"], rel=1e-10)
            assert mt.vs_rest_p[j, g] == pytest.approx(rr["p_value"], rel=1e-8)


def test_tick_all_intervals_follow_the_strata(survey, population):
    """The % ticking an option by stratum-breakdown group equals the same share computed
    from its per-stratum sums; and the stratified sums add up to the flat ones."""
    strata = make_strata(survey.group_codes["sector"], survey.groups["sector"], population,
                         "sector")
    s = tick_sums(survey.multi_ticks["opts"], survey.multi_answered["opts"],
                  survey.group_codes["group"], 4, survey.weights, strata=strata)
    flat = tick_sums(survey.multi_ticks["opts"], survey.multi_answered["opts"],
                     survey.group_codes["group"], 4, survey.weights)
    assert np.allclose(s.by_stratum.ticked_w.sum(axis=2), flat.ticked_w)
    assert np.array_equal(s.by_stratum.base_n.sum(axis=1), flat.base_n)


def test_index_standard_errors_against_svyby(results):
    """R: ``svymean(~index)`` and ``svyby(~index, ~group / ~sector, svymean)``."""
    x = results.indices[0]
    ref = R["index"]
    assert x.score == pytest.approx(ref["overall"], rel=1e-12)
    assert x.se == pytest.approx(ref["overall_se"], rel=1e-10)
    assert [g.mean for g in x.by["group"]] == pytest.approx(ref["group"], rel=1e-12)
    assert [g.se for g in x.by["group"]] == pytest.approx(ref["group_se"], rel=1e-10)
    assert [g.se for g in x.by["sector"]] == pytest.approx(ref["sector_se"], rel=1e-10)


def test_a_lonely_stratum_as_r_adjust(frame):
    """Respondent 1 alone in sector W (5 staff): R stops by default; surveykit follows
    ``options(survey.lonely.psu = "adjust")``."""
    lone = frame.copy()
    lone.loc[lone["id"] == "1", "sector"] = "W"
    pop = headcounts({**R["headcounts"], "W": 5})
    res = analyse(Survey.from_frame(lone, codebook(("X", "Y", "Z", "W"))), population=pop)
    ref = R["lonely"]
    fig = res.item("item").overall
    assert fig.ci_low == pytest.approx(100 * ref["overall_positive"]["lower"], rel=1e-7)
    assert fig.ci_high == pytest.approx(100 * ref["overall_positive"]["upper"], rel=1e-7)
    t = res.item("item").by["group"].test
    assert t.statistic == pytest.approx(ref["item_group"]["statistic"], rel=1e-9)
    assert t.ddf == pytest.approx(ref["item_group"]["ddf"], rel=1e-9)
    assert t.p_value == pytest.approx(ref["item_group"]["p_value"], rel=1e-8)


def test_huge_headcounts_give_the_stratified_design_without_fpc(survey):
    """N_h -> infinity: ``svydesign(ids = ~1, strata = ~stratum, weights = ~w)`` (no fpc).
    Not the unstratified design: stratification itself changes the variance."""
    res = analyse(survey, population=headcounts({g: 1e15 for g in "XYZ"}))
    figs = _domains(res)
    for e in R["ciprop_no_fpc"]:
        if e["share"] == "positive":
            fig = figs[e["domain"]]
            assert fig.ci_low == pytest.approx(100 * e["lower"], rel=1e-7)
            assert fig.ci_high == pytest.approx(100 * e["upper"], rel=1e-7)
    ref = R["svychisq"]["item_group_no_fpc"]
    t = res.item("item").by["group"].test
    assert t.statistic == pytest.approx(ref["statistic"], rel=1e-9)
    assert t.p_value == pytest.approx(ref["p_value"], rel=1e-8)


# --- properties -----------------------------------------------------------------------

def _numbers(x, path=""):
    """Every number of a results dict, by path (for comparing two runs)."""
    if isinstance(x, dict):
        for k, v in x.items():
            yield from _numbers(v, f"{path}/{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from _numbers(v, f"{path}/{i}")
    elif isinstance(x, float):
        yield path, x


def _same_figures(a, b, rel=1e-9, skip=("/settings",)):
    da, db = dict(_numbers(a.to_dict())), dict(_numbers(b.to_dict()))
    keys = [k for k in da if not k.startswith(skip)]
    assert keys and set(keys) <= set(db)
    for k in keys:
        assert db[k] == pytest.approx(da[k], rel=rel, abs=1e-12), k


@st.composite
def small_surveys(draw):
    n = draw(st.integers(30, 90))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "item": [str(v) for v in rng.integers(1, 6, n)],
        "item2": [str(v) if v else "" for v in rng.integers(0, 6, n)],
        "group": rng.choice(list("ABCD"), n),
        "sector": rng.choice(["X", "Y", "Z", ""], n, p=[0.4, 0.3, 0.25, 0.05]),
        "w": [f"{v:.4f}" for v in rng.lognormal(0, 0.4, n)],
        "opt_a": rng.choice(["1", "0"], n), "opt_b": rng.choice(["1", "0"], n),
        "opt_c": rng.choice(["1", "0"], n)})
    return frame, rng


PROPS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(small_surveys())
@PROPS
def test_one_stratum_is_the_total_only_design(case):
    """Everyone in one stratum of N staff: every figure and test equals today's
    ``population=N`` (``svydesign(ids = ~1, fpc = ~N)``)."""
    frame, rng = case
    frame = frame.assign(sector="X")
    survey = Survey.from_frame(frame, codebook(("X",)))
    big_n = len(frame) * float(rng.uniform(1.05, 4))
    stratified = analyse(survey, population=headcounts({"X": big_n}))
    total_only = analyse(survey, population=big_n)
    assert stratified.settings.strata is not None and total_only.settings.strata is None
    _same_figures(total_only, stratified)


@given(small_surveys())
@PROPS
def test_a_stratum_s_groups_are_its_own_total_only_survey(case):
    """A group of the strata breakdown is a whole stratum: its figures are those of that
    stratum's respondents analysed alone with its headcount, and do not depend on the
    other strata's headcounts."""
    frame, rng = case
    heads = {g: (frame["sector"] == g).sum() * float(rng.uniform(1.1, 5)) + 1 for g in "XYZ"}
    res = analyse(Survey.from_frame(frame, codebook()), population=headcounts(heads))
    other = analyse(Survey.from_frame(frame, codebook()),
                    population=headcounts({**heads, "Y": heads["Y"] * 7, "Z": heads["Z"] * 3}))
    x = frame[frame["sector"] == "X"]
    alone = analyse(Survey.from_frame(x, codebook()), population=heads["X"])
    for item in ("item", "item2"):
        fig = res.item(item).by["sector"].groups[0].figures
        for ref in (alone.item(item).overall, other.item(item).by["sector"].groups[0].figures):
            assert fig.ci_low == pytest.approx(ref.ci_low, rel=1e-9, nan_ok=True)
            assert fig.ci_high == pytest.approx(ref.ci_high, rel=1e-9, nan_ok=True)
            assert np.allclose(fig.counts_ci, ref.counts_ci, rtol=1e-9, equal_nan=True)
    idx = res.indices[0].by["sector"][0]
    assert idx.se == pytest.approx(alone.indices[0].se, rel=1e-9, nan_ok=True)


@given(small_surveys(), st.floats(0.05, 0.9))
@PROPS
def test_a_common_sampling_fraction_scales_the_variances(case, f):
    """Every stratum sampled at the same rate f (nobody unstated): each SE is sqrt(1 - f)
    times that of the stratified design without FPC, so Rao-Scott's F grows by 1/(1 - f)
    on the same degrees of freedom."""
    frame, _ = case
    frame = frame[frame["sector"] != ""]
    survey = Survey.from_frame(frame, codebook())
    counts = {g: int((frame["sector"] == g).sum()) for g in "XYZ"}
    fpc = analyse(survey, population=headcounts({g: c / f for g, c in counts.items() if c}))
    inf = analyse(survey, population=headcounts({g: 1e15 for g, c in counts.items() if c}))
    for b in ("group", "sector"):
        a, z = fpc.item("item").by[b].test, inf.item("item").by[b].test
        if np.isfinite(z.statistic):
            assert a.statistic == pytest.approx(z.statistic / (1 - f), rel=1e-9)
            assert a.ndf == pytest.approx(z.ndf, rel=1e-9)
            assert a.ddf == pytest.approx(z.ddf, rel=1e-9)
    for x, y in zip(fpc.indices[0].by["group"], inf.indices[0].by["group"]):
        assert x.se == pytest.approx(y.se * math.sqrt(1 - f), rel=1e-9, nan_ok=True)


def test_a_census_has_no_sampling_error(frame):
    """Every stratum fully enumerated (n_h = N_h, nobody unstated): zero SEs, intervals
    shrink to the estimate."""
    full = frame[frame["sector"] != ""]
    survey = Survey.from_frame(full, codebook())
    counts = {g: float((full["sector"] == g).sum()) for g in "XYZ"}
    res = analyse(survey, population=headcounts(counts))
    for fig in _domains(res).values():
        assert fig.ci_low == pytest.approx(fig.pct_positive, rel=1e-9)
        assert fig.ci_high == pytest.approx(fig.pct_positive, rel=1e-9)
    assert res.indices[0].se == pytest.approx(0, abs=1e-9)


def test_pooled_strata_equal_one_merged_group(frame, population):
    """``strata_pool`` merges groups into one stratum (headcounts added): the same as
    relabelling them as one group with the summed headcount."""
    heads = R["headcounts"]
    pooled = analyse(Survey.from_frame(frame, codebook()), population=population,
                     strata_pool=("Y", "Z"))
    merged = frame.assign(sector=frame["sector"].replace({"Y": "YZ", "Z": "YZ"}))
    ref = analyse(Survey.from_frame(merged, codebook(("X", "YZ"))),
                  population=headcounts({"X": heads["X"], "YZ": heads["Y"] + heads["Z"]}))
    assert pooled.settings.strata["strata"] == ["X", "Y + Z", NOT_STATED]
    # everything but the sector figures themselves (which have one group fewer in ref)
    _same_figures(ref, pooled, skip=("/settings", "/breakdown", "/cross", "/items/0/by/sector",
                                     "/items/1/by/sector", "/multi/0/by/sector",
                                     "/indices/0/by/sector"))


def test_unweighted_with_headcounts_is_design_based_with_unit_weights(frame, population):
    """No weights: the stratified design with all weights 1 (R: ``weights = ~1``), the same
    as giving a weight column of ones."""
    plain = analyse(Survey.from_frame(frame, codebook(weighted=False)), population=population)
    ones = analyse(Survey.from_frame(frame.assign(w="1"), codebook()), population=population)
    assert plain.settings.ci_method == "logit" and not plain.settings.weighted
    assert plain.item("item").by["group"].test.name == "rao-scott"
    _same_figures(plain, ones)  # (ones also has weighted_n and n_eff)


# --- errors -----------------------------------------------------------------------------

def test_more_respondents_than_staff_is_an_error_naming_the_row(survey):
    with pytest.raises(InputError, match=r"sector group 'X' has 130 respondents but a "
                                         r"headcount of 100") as err:
        analyse(survey, population=headcounts({"X": 100, "Y": 800, "Z": 80}))
    assert err.value.row == 2


def test_headcounts_for_unknown_groups_or_breakdowns_are_errors(survey):
    with pytest.raises(InputError, match="group 'Q' of sector is not in the survey"):
        analyse(survey, population=headcounts({"X": 300, "Y": 800, "Q": 80}))
    with pytest.raises(InputError, match="no headcount for sector group"):
        analyse(survey, population=headcounts({"X": 300, "Y": 800}))
    with pytest.raises(InputError, match="breakdown 'site' is not in the survey"):
        analyse(survey, population=headcounts({"s1": 300}, breakdown="site"))
    with pytest.raises(InputError, match="no headcounts by 'group'"):
        analyse(survey, population=headcounts(R["headcounts"]), strata="group")
    with pytest.raises(UsageError, match="strata need headcounts"):
        analyse(survey, population=1000.0, strata="sector")


def test_strata_chosen_by_the_caller(survey):
    """With headcounts by two breakdowns, ``strata=`` picks the second."""
    pop = Population(source="h.csv", rows=headcounts(R["headcounts"]).rows + tuple(
        PopulationRow(row=10 + i, breakdown="group", group=g, headcount=n)
        for i, (g, n) in enumerate({"A": 400, "B": 300, "C": 200, "D": 240}.items())))
    res = analyse(survey, population=pop, strata="group")
    assert res.settings.strata["breakdown"] == "group"
    assert res.settings.design == "stratified by group with finite population correction"
    assert res.settings.strata["strata"] == ["A", "B", "C", "D", NOT_STATED]


@given(small_surveys())
@PROPS
def test_cell_sums_kept_by_stratum_add_up_in_both_counting_paths(case):
    """``cell_sums_many(keep=)``: the joint pass and the separate passes (joint cube too
    large) give the same cubes, and summing the kept axis gives the plain cell sums."""
    frame, _ = case
    s = Survey.from_frame(frame, codebook())
    groups = [s.group_codes[b] for b in ("group", "sector")]
    joint = cell_sums_many(s.item_codes, groups, [4, 3], 5, s.weights, keep=1)
    apart = cell_sums_many(s.item_codes, groups, [4, 3], 5, s.weights, keep=1, max_joint=0)
    plain = cell_sums_many(s.item_codes, groups, [4, 3], 5, s.weights)
    for a, b, c in zip(joint, apart, plain):
        assert np.array_equal(a.n, b.n) and np.allclose(a.w2, b.w2)
        assert np.array_equal(a.n.sum(axis=2), c.n) and np.allclose(a.w.sum(axis=2), c.w)
    assert np.array_equal(np.diagonal(joint[1].n, axis1=1, axis2=2).transpose(0, 2, 1),
                          plain[1].n)
