"""Questions beyond single Likert items: tick-all-that-apply sets and composite indices."""

from __future__ import annotations

import numpy as np

from surveykit.analysis.indices import composite_index, cronbach_alpha, index_by_group, item_scores
from surveykit.analysis.itemstats import Design, share_intervals
from surveykit.analysis.multitests import multi_tests, tick_sums
from surveykit.analysis.results import (
    IndexGroup,
    IndexResult,
    MultiFigures,
    MultiGroup,
    MultiResult,
    OptionTest,
)
from surveykit.model import Index, MultiResponse
from surveykit.survey import Survey


def _multi_figures(n: float, base_w: float, ticked_w: np.ndarray, lower: np.ndarray,
                   upper: np.ndarray) -> MultiFigures:
    """% of respondents (who answered) and % of all ticks, per option."""
    total = ticked_w.sum()
    nan = float("nan")
    return MultiFigures(
        n=int(n), counts=tuple(float(t) for t in ticked_w),
        pct_respondents=tuple(float(100 * t / base_w) if base_w else nan for t in ticked_w),
        pct_responses=tuple(float(100 * t / total) if total else nan for t in ticked_w),
        pct_respondents_ci=tuple(zip(lower.tolist(), upper.tolist())),
    )


def _tick_intervals(s, design: Design) -> tuple[np.ndarray, np.ndarray]:
    """Intervals for % of respondents ticking each option, ``(groups + 1, options)``."""
    strat = None
    if design.strata is not None:  # (groups + 1, options, strata); bases (groups + 1, 1, strata)
        bs = s.by_stratum
        strat = (bs.ticked_w, bs.ticked_w2, bs.base_w[:, None, :], bs.base_w2[:, None, :],
                 bs.base_n[:, None, :])
    lo, hi, _ = share_intervals(s.ticked_n, s.ticked_w, s.ticked_w2, s.base_n[:, None],
                                s.base_w[:, None], s.base_w2[:, None], design, strat)
    return lo, hi


def analyse_multi(survey: Survey, m: MultiResponse, by_ids: list[str],
                  design: Design) -> MultiResult:
    """A tick-all question overall and by each breakdown, with a test per option.

    Each option is tested on its own (ticked or not, by group): Pearson chi-square (Fisher's
    exact test where the table is sparse), or Rao-Scott when weighted; corrected across the
    options of the question.
    """
    ticks, answered = survey.multi_ticks[m.id], survey.multi_answered[m.id]
    w = survey.weights
    everyone = np.zeros(survey.n, dtype=np.int32)
    o = tick_sums(ticks, answered, everyone, 1, w, strata=design.strata)
    lo, hi = _tick_intervals(o, design)
    overall = _multi_figures(o.base_n[0], o.base_w[0], o.ticked_w[0], lo[0], hi[0])
    by, tests = {}, {}
    for bid in by_ids:
        labels = survey.groups[bid]
        group = survey.group_codes[bid]
        s = tick_sums(ticks, answered, group, len(labels), w, strata=design.strata)
        lo, hi = _tick_intervals(s, design)
        by[bid] = tuple(MultiGroup(group=lab, figures=_multi_figures(
            s.base_n[g], s.base_w[g], s.ticked_w[g], lo[g], hi[g]))
            for g, lab in enumerate(labels))
        t = multi_tests(ticks, answered, group, len(labels), w, correction=design.correction,
                        population=design.population, sums=s, strata=design.strata,
                        exact_stop=design.exact_stop)
        tests[bid] = tuple(
            OptionTest(option=opt, name=t.method, statistic=float(t.statistic[j]),
                       df=float(t.df[j]), p_value=float(t.p_value[j]),
                       p_adjusted=float(t.p_adjusted[j]), p_method=t.p_method[j],
                       resamples=t.resamples[j])
            for j, opt in enumerate(m.options))
    return MultiResult(id=m.id, label=m.label, options=m.options, overall=overall, by=by,
                       tests=tests)


def analyse_index(survey: Survey, index: Index, by_ids: list[str],
                  design: Design) -> IndexResult:
    """A 0-100 composite index overall and by group, with Cronbach's alpha.

    Item answers are scored 0 (most negative) to 100 (most positive) after reverse-scored
    items are turned round, as the Civil Service People Survey scores its engagement index.
    """
    position = {item.id: j for j, item in enumerate(survey.codebook.items)}
    cols = [position[i] for i in index.items]
    codes = survey.item_codes[:, cols]
    k = np.array([survey.codebook.items[j].effective_scale.k for j in cols])
    scores = composite_index(codes, k, min_share=index.min_share)
    everyone = np.zeros(survey.n, dtype=np.int32)
    overall = index_by_group(scores, everyone, 1, survey.weights, population=design.population,
                             strata=design.strata)
    scored = item_scores(codes, k)
    complete = int(np.isfinite(scored).all(axis=1).sum())
    nan_items = tuple(float("nan") for _ in cols)
    if complete >= 2:
        reliability = cronbach_alpha(scored)
        alpha, alpha_del = float(reliability.alpha), tuple(map(float, reliability.alpha_if_deleted))
        item_rest = tuple(map(float, reliability.item_rest_cor))
    else:  # alpha needs two complete answer sets: undefined, not an error
        alpha, alpha_del, item_rest = float("nan"), nan_items, nan_items
    by = {}
    for bid in by_ids:
        labels = survey.groups[bid]
        s = index_by_group(scores, survey.group_codes[bid], len(labels), survey.weights,
                           population=design.population, strata=design.strata)
        by[bid] = tuple(IndexGroup(group=lab, mean=float(s.mean[g]), se=float(s.se[g]),
                                   n=int(s.n[g])) for g, lab in enumerate(labels))
    return IndexResult(
        id=index.id, label=index.label, items=index.items, min_share=index.min_share,
        score=float(overall.overall), se=float(overall.overall_se), n=int(overall.overall_n),
        alpha=alpha, alpha_n=complete, alpha_if_deleted=alpha_del, item_rest=item_rest, by=by,
    )
