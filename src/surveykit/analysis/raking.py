"""Weighting a survey to known staff numbers (raking), as a pipeline stage.

Staff surveys are near-censuses of a known workforce with unequal response rates by
group; raking (iterative proportional fitting, Deming & Stephan 1940) makes the weighted
respondents match the headcount of every group of every breakdown given.

Respondents who did not state a group of a raking breakdown cannot be placed in its
margin: they keep the average weight ``N / n`` and the group targets are scaled to the
share of respondents who did state them, so the weights still add up to ``N``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

import numpy as np

from surveykit.analysis.results import SurveyResults
from surveykit.analysis.weights import WeightingReport, rake, weighting_report
from surveykit.errors import InputError
from surveykit.model import Population, normalise_label
from surveykit.survey import Survey


def hidden_groups(results: SurveyResults) -> dict[str, tuple[str, ...]]:
    """Per breakdown, the groups whose respondent counts suppression hides.

    Pass it to :func:`rake_survey` as ``pool``: raked separately, a hidden group's weight
    ``N_g / n_g`` (with its headcount known) would give its size away, through the
    weighting report and every figure that uses squared weights.
    """
    return {b.id: tuple(g.group for g in b.groups if g.suppressed)
            for b in results.breakdowns if any(g.suppressed for g in b.groups)}


def rake_survey(survey: Survey, population: Population, *,
                cap: tuple[float, float] | None = (0.2, 5.0),
                pool: Mapping[str, Collection[str]] | None = None
                ) -> tuple[Survey, WeightingReport]:
    """Return the survey with raking weights, and a report on them.

    Parameters
    ----------
    survey
        The survey; its breakdowns must include every breakdown in ``population``.
    population
        Headcounts by group (:func:`surveykit.ingest.population.read_population`).
    cap
        Bounds on each respondent's weight as multiples of the average weight ``N / n``
        (default a fifth to five times); ``None`` for uncapped raking.
    pool
        Per breakdown id, groups raked together as one margin cell (their headcounts
        added): every respondent of them gets the same adjustment, so the weights say
        nothing about how they split. Use :func:`hidden_groups` of the suppressed results
        of a first, unweighted pass, so that no weight reveals a hidden group's size.

    Raises
    ------
    InputError
        A breakdown or group in the headcounts that the survey does not have, or a group
        with staff but no respondents (it cannot be weighted up from nobody).
    """
    margins, targets = [], []
    stated = np.ones(survey.n, dtype=bool)
    for bid in population.breakdowns:
        try:
            b = survey.codebook.breakdown(bid)
        except KeyError:
            row = next(r.row for r in population.rows if r.breakdown == bid)
            known = ", ".join(x.id for x in survey.codebook.breakdowns) or "none"
            raise InputError(f"breakdown '{bid}' is not in the survey (breakdowns: {known})",
                             path=population.source, row=row) from None
        labels = survey.groups[b.id]
        index = {normalise_label(g): j for j, g in enumerate(labels)}
        target = np.zeros(len(labels))
        for r in (r for r in population.rows if r.breakdown == bid):
            j = index.get(normalise_label(r.group))
            if j is None:
                raise InputError(f"group '{r.group}' of {bid} has no respondents in the survey "
                                 f"(groups: {', '.join(labels)})", path=population.source,
                                 row=r.row)
            target[j] = r.headcount
        codes = survey.group_codes[b.id]
        missing = [labels[j] for j in range(len(labels)) if target[j] == 0
                   and np.any(codes == j)]
        if missing:
            raise InputError(f"no headcount for {bid} group(s): {', '.join(missing)}",
                             path=population.source)
        together = {normalise_label(g) for g in (pool or {}).get(b.id, ())}
        members = [j for j, g in enumerate(labels) if normalise_label(g) in together]
        if len(members) > 1:  # one margin cell for them all: the first member's code
            codes = np.where(np.isin(codes, members), members[0], codes)
            target = target.copy()
            target[members[0]] = target[members].sum()
            target[members[1:]] = 0.0
        margins.append(codes)
        targets.append(target)
        stated &= codes >= 0
    total = population.total()
    n, n_stated = survey.n, int(stated.sum())
    weights = np.full(n, total / n)
    share = n_stated / n
    start = survey.weights[stated] if survey.weights is not None else None
    try:
        result = rake([m[stated] for m in margins], [t * share for t in targets], start=start,
                      cap=cap)
    except ValueError as exc:
        raise InputError(f"cannot rake to these headcounts: {exc}",
                         path=population.source) from None
    weights[stated] = result.weights
    report = weighting_report(weights, iterations=result.report.iterations,
                              converged=result.report.converged,
                              max_margin_error=result.report.max_margin_error,
                              n_capped=result.report.n_capped)
    return replace(survey, weights=weights), report
