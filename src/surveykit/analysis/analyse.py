"""The analysis entry point: every item, overall and by every breakdown, with tests.

Pure: a :class:`~surveykit.Survey` in, :class:`SurveyResults` out; no I/O, no rounding, no
suppression (that is :func:`surveykit.analysis.disclosure.suppress`, applied before
anything is rendered).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from surveykit.analysis.counts import count_cross, count_cube, count_groups, count_ticks
from surveykit.analysis.results import (
    BreakdownSummary,
    Comparison,
    CrossSummary,
    Figures,
    GroupCount,
    GroupResult,
    ItemBreakdown,
    ItemResult,
    MultiFigures,
    MultiGroup,
    MultiResult,
    Settings,
    SurveyResults,
    TestResult,
)
from surveykit.analysis.significance import CORRECTIONS, adjust, chi_square, two_proportions
from surveykit.errors import UsageError
from surveykit.survey import Survey


class _Layout:
    """Per-item category masks, so figures for all items come from array arithmetic."""

    def __init__(self, survey: Survey) -> None:
        scales = [item.effective_scale for item in survey.codebook.items]
        self.n_categories = max(len(s.categories) for s in scales)
        shape = (len(scales), self.n_categories + 1)  # + the no-answer bin
        self.valid = np.zeros(shape, dtype=bool)
        self.na = np.zeros(shape, dtype=bool)
        self.positive = np.zeros(shape, dtype=bool)
        self.neutral = np.zeros(shape, dtype=bool)
        self.negative = np.zeros(shape, dtype=bool)
        self.score = np.zeros(shape)
        for i, s in enumerate(scales):
            pol = np.array(s.polarity())
            self.valid[i, : s.k] = True
            self.na[i, s.k : len(s.categories)] = True
            self.positive[i, : s.k] = pol == 1
            self.negative[i, : s.k] = pol == -1
            self.neutral[i, : s.k] = np.isin(np.array(s.labels), s.neutral)
            self.score[i, : s.k] = s.scores()
        self.k = [s.k for s in scales]

    def summarise(self, cube: np.ndarray) -> dict[str, np.ndarray]:
        """Base, % positive/neutral/negative and mean for ``(items, groups, categories)``."""
        n = (cube * self.valid[:, None, :]).sum(axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = {name: 100 * (cube * getattr(self, name)[:, None, :]).sum(axis=2) / n
                   for name in ("positive", "neutral", "negative")}
            mean = (cube * self.score[:, None, :]).sum(axis=2) / n
        return {"n": n, "na": (cube * self.na[:, None, :]).sum(axis=2), "mean": mean,
                "pos_count": (cube * self.positive[:, None, :]).sum(axis=2), **pct}


def _figures(cube: np.ndarray, s: dict[str, np.ndarray], i: int, g: int, k: int) -> Figures:
    return Figures(
        n=int(s["n"][i, g]), counts=tuple(float(c) for c in cube[i, g, :k]),
        not_applicable=float(s["na"][i, g]), pct_positive=float(s["positive"][i, g]),
        pct_neutral=float(s["neutral"][i, g]), pct_negative=float(s["negative"][i, g]),
        mean=float(s["mean"][i, g]),
    )


def _resolve_by(survey: Survey, by: Sequence[str] | None) -> list[str]:
    if by is None:
        return [b.id for b in survey.codebook.breakdowns]
    ids = []
    for key in by:
        try:
            ids.append(survey.codebook.breakdown(key).id)
        except KeyError:
            known = ", ".join(b.id for b in survey.codebook.breakdowns) or "none"
            raise UsageError(f"unknown breakdown '{key}' (breakdowns: {known})") from None
    return list(dict.fromkeys(ids))


def analyse(
    survey: Survey,
    by: Sequence[str] | None = None,
    *,
    correction: str = "holm",
    alpha: float = 0.05,
    min_difference: float = 5.0,
) -> SurveyResults:
    """Analyse every item overall and by each breakdown.

    Parameters
    ----------
    survey
        Responses with a codebook applied.
    by
        Breakdown ids (or their columns); default: every breakdown in the codebook.
    correction
        Multiple-comparison correction: ``"holm"`` (default), ``"bh"``, ``"bonferroni"``
        or ``"none"``. Families: the chi-square tests of all items by one breakdown; the
        group-vs-rest tests of all items and groups of one breakdown.
    alpha
        Significance level for headline findings.
    min_difference
        Percentage points a group must differ from the rest to make a headline.

    Returns
    -------
    SurveyResults
        Unsuppressed and unrounded; pass through :func:`suppress` before rendering.

    Examples
    --------
    >>> results = analyse(survey, by=["sector"])        # doctest: +SKIP
    >>> results.item("job_relevant").by["sector"].test.p_adjusted   # doctest: +SKIP
    """
    if correction not in CORRECTIONS:
        raise UsageError(f"unknown correction '{correction}' (use {', '.join(CORRECTIONS)})")
    by_ids = _resolve_by(survey, by)
    cb = survey.codebook
    layout = _Layout(survey)
    codes = survey.item_codes
    item_by: list[dict[str, ItemBreakdown]] = [{} for _ in cb.items]
    summaries, overall_cube = [], None
    for bid in by_ids:
        labels = survey.groups[bid]
        groups = survey.group_codes[bid]
        cube = count_cube(codes, groups, len(labels), layout.n_categories)
        overall_cube = cube.sum(axis=1, keepdims=True) if overall_cube is None else overall_cube
        s = layout.summarise(cube)
        G = len(labels)
        valid_cube = cube[:, :G, :] * layout.valid[:, None, :]
        chi = chi_square(valid_cube)
        chi_adj = adjust(chi["p_value"], correction)
        total_n, total_pos = s["n"].sum(axis=1), s["pos_count"].sum(axis=1)
        rest_n = total_n[:, None] - s["n"][:, :G]
        rest_pos = total_pos[:, None] - s["pos_count"][:, :G]
        vs = two_proportions(s["pos_count"][:, :G], s["n"][:, :G], rest_pos, rest_n)
        vs_adj = adjust(vs["p_value"], correction)
        with np.errstate(divide="ignore", invalid="ignore"):
            rest_pct = 100 * rest_pos / rest_n
        for i, item in enumerate(cb.items):
            k = layout.k[i]
            test = TestResult(
                name="chi-square", statistic=float(chi["statistic"][i]), df=int(chi["df"][i]),
                p_value=float(chi["p_value"][i]), p_adjusted=float(chi_adj[i]),
                effect_size=float(chi["effect_size"][i]), n=int(chi["n"][i]),
                min_expected=float(chi["min_expected"][i]),
                share_expected_lt5=float(chi["share_expected_lt5"][i]),
            )
            results = tuple(
                GroupResult(
                    group=labels[g], figures=_figures(cube, s, i, g, k),
                    vs_rest=Comparison(
                        rest_n=int(rest_n[i, g]), rest_pct_positive=float(rest_pct[i, g]),
                        difference=float(100 * vs["difference"][i, g]),
                        p_value=float(vs["p_value"][i, g]), p_adjusted=float(vs_adj[i, g])),
                )
                for g in range(G)
            )
            item_by[i][bid] = ItemBreakdown(breakdown=bid, groups=results, test=test)
        counts = count_groups(groups, G)
        summaries.append(BreakdownSummary(
            id=bid, label=cb.breakdown(bid).label,
            groups=tuple(GroupCount(group=lab, n=int(c)) for lab, c in zip(labels, counts)),
            not_stated=int(counts[G]),
        ))
    if overall_cube is None:
        overall_cube = count_cube(codes, np.zeros(survey.n, dtype=np.int32), 1,
                                  layout.n_categories)[:, :1, :]
    so = layout.summarise(overall_cube)
    items = tuple(
        ItemResult(
            id=item.id, label=item.label, theme=item.theme or "Items",
            labels=item.effective_scale.labels,
            not_applicable_labels=item.effective_scale.not_applicable,
            polarity=item.effective_scale.polarity(), reverse=item.reverse,
            overall=_figures(overall_cube, so, i, 0, layout.k[i]), by=item_by[i],
        )
        for i, item in enumerate(cb.items)
    )
    return SurveyResults(
        title=cb.title, source=survey.source, respondents=survey.n,
        breakdowns=tuple(summaries), items=items,
        multi=tuple(_analyse_multi(survey, m, by_ids) for m in cb.multi),
        cross=_cross(survey, by_ids),
        settings=Settings(min_group=0, correction=correction, alpha=alpha,
                          min_difference=min_difference),
        warnings=survey.warnings,
    )


def _multi_figures(ticks: np.ndarray, base: float) -> MultiFigures:
    total = ticks.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return MultiFigures(
            n=int(base), counts=tuple(float(t) for t in ticks),
            pct_respondents=tuple(float(100 * t / base) if base else float("nan")
                                  for t in ticks),
            pct_responses=tuple(float(100 * t / total) if total else float("nan")
                                for t in ticks),
        )


def _analyse_multi(survey: Survey, m, by_ids: list[str]) -> MultiResult:
    ticks, answered = survey.multi_ticks[m.id], survey.multi_answered[m.id]
    overall = _multi_figures(ticks[answered].sum(axis=0), answered.sum())
    by = {}
    for bid in by_ids:
        labels = survey.groups[bid]
        counts, bases = count_ticks(ticks, answered, survey.group_codes[bid], len(labels))
        by[bid] = tuple(MultiGroup(group=lab, figures=_multi_figures(counts[g], bases[g]))
                        for g, lab in enumerate(labels))
    return MultiResult(id=m.id, label=m.label, options=m.options, overall=overall, by=by)


def _cross(survey: Survey, by_ids: list[str]) -> tuple[CrossSummary, ...]:
    """The fieldwork table: respondents by the first two breakdowns."""
    if len(by_ids) < 2:
        return ()
    a, b = by_ids[:2]
    ga, gb = survey.groups[a], survey.groups[b]
    table = count_cross(survey.group_codes[a], len(ga), survey.group_codes[b], len(gb))
    inner = table[: len(ga), : len(gb)]
    return (CrossSummary(
        rows=a, columns=b, row_groups=ga, column_groups=gb,
        cells=tuple(tuple(int(v) for v in row) for row in inner),
        row_totals=tuple(int(v) for v in table[: len(ga)].sum(axis=1)),
        column_totals=tuple(int(v) for v in table[:, : len(gb)].sum(axis=0)),
    ),)
