"""The analysis entry point: every item, overall and by every breakdown, with tests.

Pure: a :class:`~surveykit.Survey` in, :class:`SurveyResults` out; no I/O, no rounding, no
suppression (that is :func:`surveykit.analysis.disclosure.suppress`, applied before
anything is rendered). The statistics themselves live in :mod:`.itemstats`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np

from surveykit.analysis import itemstats
from surveykit.analysis.counts import count_cross, count_groups
from surveykit.analysis.itemstats import Design, Masks, exact_stop
from surveykit.analysis.nets import DEFAULT_NETS, net_masks
from surveykit.analysis.nets import nets as net_figures
from surveykit.analysis.overlap import nesting_of, pair_counts
from surveykit.analysis.questions import analyse_index, analyse_multi
from surveykit.analysis.results import (
    BreakdownSummary,
    Comparison,
    CrossSummary,
    Figures,
    GroupCount,
    GroupResult,
    ItemBreakdown,
    ItemResult,
    MeanComparison,
    Settings,
    SurveyResults,
)
from surveykit.analysis.significance import CORRECTIONS
from surveykit.analysis.strata import Strata, by_stratum, survey_strata
from surveykit.analysis.weights import CellSums, cell_sums, cell_sums_many
from surveykit.errors import UsageError
from surveykit.model import Population
from surveykit.survey import Survey


def _masks(survey: Survey) -> tuple[Masks, list[int], int]:
    scales = [item.effective_scale for item in survey.codebook.items]
    n_cat = max((len(s.categories) for s in scales), default=1)
    shape = (len(scales), n_cat + 1)  # + the no-answer bin
    arrays = {k: np.zeros(shape, dtype=bool) for k in ("valid", "na", "positive", "neutral",
                                                        "negative")}
    score = np.zeros(shape)
    for i, s in enumerate(scales):
        pol = np.array(s.polarity())
        arrays["valid"][i, : s.k] = True
        arrays["na"][i, s.k : len(s.categories)] = True
        arrays["positive"][i, : s.k] = pol == 1
        arrays["negative"][i, : s.k] = pol == -1
        arrays["neutral"][i, : s.k] = np.isin(np.array(s.labels), s.neutral)
        score[i, : s.k] = s.scores()
    return Masks(score=score, **arrays), [s.k for s in scales], n_cat


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


_FIGURE_KEYS = ("n", "na", "positive", "neutral", "negative", "mean", "ci_low", "ci_high", "w",
                "n_eff", "ci_neutral_low", "ci_neutral_high", "ci_negative_low",
                "ci_negative_high", "ci_cat_low", "ci_cat_high")


def _counted(survey: Survey, by_ids: list[str], n_cat: int, strata: Strata | None
             ) -> tuple[list[CellSums], list[CellSums | None], CellSums, CellSums | None]:
    """Cell sums per breakdown (and split by stratum), and overall: one joint pass."""
    codes = survey.item_codes
    if strata is None:
        if not by_ids:
            everyone = np.zeros(survey.n, dtype=np.int32)
            return [], [], cell_sums(codes, everyone, 0, n_cat, survey.weights), None
        sums = cell_sums_many(codes, [survey.group_codes[b] for b in by_ids],
                              [len(survey.groups[b]) for b in by_ids], n_cat, survey.weights)
        overall = CellSums(**{k: getattr(sums[0], k).sum(axis=1, keepdims=True)
                              for k in ("n", "w", "w2")})
        return sums, [None] * len(sums), overall, None
    # The strata breakdown's groups ride along as an extra axis of every cube.
    ids = list(by_ids) if strata.breakdown in by_ids else [*by_ids, strata.breakdown]
    cubes = cell_sums_many(codes, [survey.group_codes[b] for b in ids],
                           [len(survey.groups[b]) for b in ids], n_cat, survey.weights,
                           keep=ids.index(strata.breakdown))
    flat = [CellSums(n=c.n.sum(axis=2), w=c.w.sum(axis=2), w2=c.w2.sum(axis=2)) for c in cubes]
    split = [CellSums(n=by_stratum(c.n, strata, 2), w=by_stratum(c.w, strata, 2),
                      w2=by_stratum(c.w2, strata, 2)) for c in cubes]
    overall = CellSums(**{k: getattr(flat[0], k).sum(axis=1, keepdims=True)
                          for k in ("n", "w", "w2")})
    overall_h = CellSums(**{k: getattr(split[0], k).sum(axis=1, keepdims=True)
                            for k in ("n", "w", "w2")})
    return flat[: len(by_ids)], split[: len(by_ids)], overall, overall_h


def _as_lists(f: dict[str, Any], s: Any, ks: list[int], spec: Any,
              d: itemstats.Design, sh: CellSums | None = None) -> dict[str, Any]:
    """The arrays one breakdown's figures come from, as nested Python lists: building the
    thousands of Figures records (items x groups) then indexes lists instead of creating a
    numpy scalar per number, which was most of analyse()'s fixed cost. Nets and their
    intervals are computed here, from the cell sums ``s``."""
    out = {k: f[k].tolist() for k in _FIGURE_KEYS}
    out["counts"] = s.w.tolist()
    net = net_figures(s.w, ks, spec)
    net_n, net_w2 = net_figures(s.n, ks, spec).count, net_figures(s.w2, ks, spec).count
    strat = None
    if sh is not None:  # nets by stratum: (nets, items, groups, strata)
        def split(cube: np.ndarray) -> np.ndarray:
            i, g, h, c = cube.shape
            flat = np.moveaxis(cube, 2, 1).reshape(i, h * g, c)
            return np.moveaxis(net_figures(flat, ks, spec).count.reshape(-1, i, h, g), 2, 3)
        strat = (split(sh.w), split(sh.w2), f["w_h"][None], f["w2_h"][None], f["n_h"][None])
    lo, hi, _ = itemstats.share_intervals(net_n, net.count, net_w2, f["n"][None],
                                          f["w"][None], f["w2"][None], d, strat)
    out["nets"], out["nets_lo"], out["nets_hi"] = net.pct.tolist(), lo.tolist(), hi.tolist()
    out["net_names"] = net.names
    return out


def _figures(lists: dict[str, Any], i: int, g: int, k: int, weighted: bool) -> Figures:
    x = lists
    names = x["net_names"]
    return Figures(
        n=int(x["n"][i][g]), counts=tuple(x["counts"][i][g][:k]),
        not_applicable=x["na"][i][g], pct_positive=x["positive"][i][g],
        pct_neutral=x["neutral"][i][g], pct_negative=x["negative"][i][g],
        mean=x["mean"][i][g], ci_low=x["ci_low"][i][g], ci_high=x["ci_high"][i][g],
        weighted_n=x["w"][i][g] if weighted else None,
        n_eff=x["n_eff"][i][g] if weighted else None,
        nets=tuple((name, x["nets"][j][i][g]) for j, name in enumerate(names)),
        neutral_ci=(x["ci_neutral_low"][i][g], x["ci_neutral_high"][i][g]),
        negative_ci=(x["ci_negative_low"][i][g], x["ci_negative_high"][i][g]),
        counts_ci=tuple(zip(x["ci_cat_low"][i][g][:k], x["ci_cat_high"][i][g][:k])),
        nets_ci=tuple((name, x["nets_lo"][j][i][g], x["nets_hi"][j][i][g])
                      for j, name in enumerate(names)),
    )


def _higher_than(labels: tuple[str, ...], level: list[int]) -> tuple[str, ...]:
    """Labels of the groups a group beats (its row of ``ColumnLetters.level`` for one
    item): uppercase at the strict level, lowercase at the loose one."""
    return tuple(lab if lv == 2 else lab.lower() for lab, lv in zip(labels, level) if lv > 0)


def analyse(
    survey: Survey,
    by: Sequence[str] | None = None,
    *,
    correction: str = "holm",
    alpha: float = 0.05,
    min_difference: float = 5.0,
    confidence: float = 0.95,
    letters: tuple[float, float] = (0.01, 0.05),
    letters_family: str = "item",
    population: float | Population | None = None,
    weighting: dict[str, Any] | None = None,
    nets: Mapping[str, str | Sequence[int]] | None = None,
    strata: str | None = None,
    strata_pool: Collection[str] = (),
) -> SurveyResults:
    """Analyse every item overall and by each breakdown.

    Parameters
    ----------
    survey
        Responses with a codebook applied (and weights, if it has them).
    by
        Breakdown ids (or their columns); default: every breakdown in the codebook.
    correction
        ``"holm"`` (default), ``"bh"``, ``"bonferroni"`` or ``"none"``. Families: all
        items' omnibus tests by one breakdown; all items' and groups' group-vs-rest tests
        by one breakdown; column letters per item (``letters_family="item"``) or per
        breakdown.
    alpha
        Significance level for headline findings.
    min_difference
        Percentage points a group must differ from the rest to make a headline.
    confidence
        Level of the intervals around % positive.
    letters
        (strict, loose) levels of the column letters: uppercase, lowercase.
    population
        For the finite population correction (staff surveys are near-censuses); switches
        to design-based inference. Either

        * the size of the surveyed workforce (a number, at least the number of
          respondents): every standard error is multiplied by ``sqrt(1 - n / N)``, as R
          ``svydesign(ids = ~1, fpc = ~N, weights = ~w)``; or
        * headcounts by group (:class:`~surveykit.model.Population`, from
          :func:`surveykit.ingest.population.read_population`): a stratified design with an
          FPC per stratum, as R ``svydesign(ids = ~1, strata = ~sector, fpc = ~N_sector,
          weights = ~w)``; the strata are the groups of the breakdown ``strata`` (default
          the headcount file's first breakdown), and respondents who did not state it form
          a stratum of their own without FPC. See :mod:`surveykit.analysis.strata`.
    weighting
        The weighting report to record (when weights were made by raking).
    nets
        Net name -> definition, by position on each item's own scale: ``"top2"``,
        ``"bottom3"``, ``"mid"`` or category indices (negative from the top); default
        top-2 and bottom-2 box. See :func:`surveykit.analysis.nets.net_categories`.
    strata
        With headcounts as ``population``: the breakdown (id or column, as the headcount
        file names it) whose groups are the strata.
    strata_pool
        Groups of the strata breakdown merged into one stratum (headcounts added): pass
        the groups suppression hides, as for raking, so that no stratum's own FPC carries
        a hidden group's size into the standard errors.

    Returns
    -------
    SurveyResults
        Unsuppressed and unrounded; pass through :func:`suppress` before rendering.
    """
    if correction not in CORRECTIONS:
        raise UsageError(f"unknown correction '{correction}' (use {', '.join(CORRECTIONS)})")
    strict, loose = letters
    if not 0 < strict <= loose < 1:
        raise UsageError("letter levels must satisfy 0 < strict <= loose < 1")
    design_strata = None
    if isinstance(population, Population):
        design_strata = survey_strata(survey, population, strata, pool=strata_pool)
        population = population.total()
    elif strata is not None or strata_pool:
        raise UsageError("strata need headcounts by group (a Population), not a total")
    if population is not None and not population >= survey.n:
        raise UsageError(f"population size {population:,.0f} is smaller than the "
                         f"{survey.n:,} respondents: the headcount cannot be the workforce "
                         "they were drawn from")
    by_ids = _resolve_by(survey, by)
    cb = survey.codebook
    net_spec = DEFAULT_NETS if nets is None else dict(nets)
    try:
        net_masks([item.effective_scale.k for item in cb.items], 1 + max(
            (item.effective_scale.k for item in cb.items), default=0), net_spec)
    except ValueError as exc:
        raise UsageError(f"nets: {exc}") from None
    weighted = survey.weights is not None
    # Stratified: the total-only FPC is replaced by one per stratum (population stays the
    # workforce total in the settings).
    design = Design(weighted=weighted, n_total=float(survey.n),
                    population=population if design_strata is None else None,
                    confidence=confidence, correction=correction, strict=strict, loose=loose,
                    letters_family=letters_family, strata=design_strata,
                    exact_stop=exact_stop(alpha))
    masks, ks, n_cat = _masks(survey)
    sizes = [len(survey.groups[b]) for b in by_ids]
    sums, split, overall, overall_h = _counted(survey, by_ids, n_cat, design_strata)
    fo = itemstats.figures(overall, masks, design, overall_h)
    item_by: list[dict[str, ItemBreakdown]] = [{} for _ in cb.items]
    summaries = []
    for bid, s, sh, G in zip(by_ids, sums, split, sizes):
        labels = survey.groups[bid]
        f = itemstats.figures(s, masks, design, sh)
        omni = itemstats.omnibus(s, masks, design, G, sh)
        vs = itemstats.versus_rest(f, design, G)
        lett = itemstats.letters(f, design, G)
        means = itemstats.mean_test(s, masks, design, f, G, sh)
        mvs = itemstats.mean_versus_rest(s, masks, design, f, G, sh)
        fl = _as_lists(f, s, ks, net_spec, design, sh)
        levels = lett.level.tolist()
        vl = {k: vs[k].tolist() for k in ("rest_n", "rest_pct", "difference", "p_value",
                                           "p_adjusted")}
        ml = {k: mvs[k].tolist() for k in ("rest_mean", "difference", "p_value", "p_adjusted")}
        for i in range(len(cb.items)):
            groups = tuple(
                GroupResult(
                    group=labels[g],
                    figures=_figures(fl, i, g, ks[i], weighted),
                    vs_rest=Comparison(
                        rest_n=int(vl["rest_n"][i][g]), rest_pct_positive=vl["rest_pct"][i][g],
                        difference=vl["difference"][i][g], p_value=vl["p_value"][i][g],
                        p_adjusted=vl["p_adjusted"][i][g], test=vs["test"]),
                    letter=lett.labels[g], higher_than=_higher_than(lett.labels, levels[i][g]),
                    mean_vs_rest=MeanComparison(
                        rest_mean=ml["rest_mean"][i][g], difference=ml["difference"][i][g],
                        p_value=ml["p_value"][i][g], p_adjusted=ml["p_adjusted"][i][g],
                        test=mvs["test"]),
                )
                for g in range(G)
            )
            item_by[i][bid] = ItemBreakdown(breakdown=bid, groups=groups, test=itemstats.result_record(omni, i),
                                            mean_test=itemstats.result_record(means, i))
        counts = count_groups(survey.group_codes[bid], G)
        summaries.append(BreakdownSummary(
            id=bid, label=cb.breakdown(bid).label,
            groups=tuple(GroupCount(group=lab, n=int(c)) for lab, c in zip(labels, counts)),
            not_stated=int(counts[G]),
        ))
    fo_lists = _as_lists(fo, overall, ks, net_spec, design, overall_h)
    overlaps = pair_counts(survey, by_ids)
    items = tuple(
        ItemResult(
            id=item.id, label=item.label, theme=item.theme or "Items",
            labels=item.effective_scale.labels,
            not_applicable_labels=item.effective_scale.not_applicable,
            polarity=item.effective_scale.polarity(), reverse=item.reverse,
            overall=_figures(fo_lists, i, 0, ks[i], weighted), by=item_by[i],
        )
        for i, item in enumerate(cb.items)
    )
    return SurveyResults(
        title=cb.title, source=survey.source, respondents=survey.n,
        breakdowns=tuple(summaries), items=items,
        multi=tuple(analyse_multi(survey, m, by_ids, design) for m in cb.multi),
        indices=tuple(analyse_index(survey, x, by_ids, design) for x in cb.indices),
        cross=_cross(survey, by_ids),
        nesting=nesting_of(by_ids, overlaps),
        overlaps=overlaps,
        settings=Settings(min_group=0, correction=correction, alpha=alpha,
                          min_difference=min_difference, weighted=weighted,
                          ci_method="logit" if design.design_based else "wilson",
                          confidence=confidence, letters_strict=strict, letters_loose=loose,
                          letters_family=letters_family, population=population,
                          weighting=weighting, design=_design_words(design),
                          strata=None if design_strata is None else design_strata.to_dict()),
        warnings=survey.warnings,
    )


def _design_words(d: Design) -> str:
    if d.strata is not None:
        return d.strata.describe()
    if d.population is not None:
        return "finite population correction for the workforce total"
    return "no finite population correction"


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
