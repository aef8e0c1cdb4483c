"""Result records: full precision, codebook order, immutable.

Every record has ``to_dict()`` (JSON-safe, stable key order: the ``results.json`` contract)
and the top-level :class:`SurveyResults` has ``to_frame()`` (tidy, one row per item x
breakdown x group x category). Nothing here rounds: rounding happens once, in
:mod:`surveykit.render.format`. A suppressed group keeps its label and the reason, and no
figures at all, so no renderer can show them by mistake.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from surveykit.analysis.overlap import Overlap

OVERALL = "(all respondents)"


def _num(x: float | None) -> float | int | None:
    """JSON-safe number: NaN/inf become None; integral counts stay integers."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return x


@dataclass(frozen=True)
class Figures:
    """One item's answers within one group (or overall)."""

    n: int
    counts: tuple[float, ...]
    not_applicable: float
    pct_positive: float
    pct_neutral: float
    pct_negative: float
    mean: float
    ci_low: float = float("nan")
    ci_high: float = float("nan")
    weighted_n: float | None = None
    n_eff: float | None = None
    nets: tuple[tuple[str, float], ...] = ()
    # Intervals (in %) for the other shares: neutral, negative, each answer (in scale
    # order), each net (name, lower, upper). Same method as ci_low / ci_high.
    neutral_ci: tuple[float, float] = (float("nan"), float("nan"))
    negative_ci: tuple[float, float] = (float("nan"), float("nan"))
    counts_ci: tuple[tuple[float, float], ...] = ()
    nets_ci: tuple[tuple[str, float, float], ...] = ()

    def to_dict(self, labels: tuple[str, ...]) -> dict[str, Any]:
        out = {
            "n": int(self.n),
            "pct_positive": _num(self.pct_positive),
            "pct_neutral": _num(self.pct_neutral),
            "pct_negative": _num(self.pct_negative),
            "mean": _num(self.mean),
            "pct_positive_ci": [_num(self.ci_low), _num(self.ci_high)],
            "pct_neutral_ci": [_num(x) for x in self.neutral_ci],
            "pct_negative_ci": [_num(x) for x in self.negative_ci],
            "counts": {lab: _num(c) for lab, c in zip(labels, self.counts)},
            "not_applicable": _num(self.not_applicable),
        }
        if self.counts_ci:
            out["pct_ci"] = {lab: [_num(lo), _num(hi)]
                             for lab, (lo, hi) in zip(labels, self.counts_ci)}
        if self.weighted_n is not None:
            out["weighted_n"] = _num(self.weighted_n)
            out["n_eff"] = _num(self.n_eff)
        if self.nets:
            out["nets"] = {name: _num(v) for name, v in self.nets}
        if self.nets_ci:
            out["nets_ci"] = {name: [_num(lo), _num(hi)] for name, lo, hi in self.nets_ci}
        return out


@dataclass(frozen=True)
class Comparison:
    """A group against the rest of the sample on % positive."""

    rest_n: int
    rest_pct_positive: float
    difference: float
    p_value: float
    p_adjusted: float
    test: str = "two-proportion z"

    def to_dict(self) -> dict[str, Any]:
        return {"test": self.test, "rest_n": int(self.rest_n),
                "rest_pct_positive": _num(self.rest_pct_positive),
                "difference": _num(self.difference), "p_value": _num(self.p_value),
                "p_adjusted": _num(self.p_adjusted)}


@dataclass(frozen=True)
class MeanComparison:
    """A group against the rest of the sample on mean score."""

    rest_mean: float
    difference: float
    p_value: float
    p_adjusted: float
    test: str = "mann-whitney"

    def to_dict(self) -> dict[str, Any]:
        return {"test": self.test, "rest_mean": _num(self.rest_mean),
                "difference": _num(self.difference), "p_value": _num(self.p_value),
                "p_adjusted": _num(self.p_adjusted)}


@dataclass(frozen=True)
class GroupResult:
    """A group of a breakdown: its figures, or the reason they are withheld."""

    group: str
    figures: Figures | None
    vs_rest: Comparison | None = None
    suppressed: bool = False
    suppression: str | None = None
    letter: str = ""
    # Letters of the groups this one is significantly above: uppercase at the strict
    # level, lowercase at the loose one (SPSS / Q convention).
    higher_than: tuple[str, ...] = ()
    mean_vs_rest: MeanComparison | None = None

    def to_dict(self, labels: tuple[str, ...]) -> dict[str, Any]:
        if self.suppressed or self.figures is None:
            return {"group": self.group, "suppressed": True, "suppression": self.suppression}
        out: dict[str, Any] = {"group": self.group, "suppressed": False}
        out.update(self.figures.to_dict(labels))
        out["letter"] = self.letter
        out["higher_than"] = list(self.higher_than)
        if self.vs_rest is not None:
            out["vs_rest"] = self.vs_rest.to_dict()
        if self.mean_vs_rest is not None:
            out["mean_vs_rest"] = self.mean_vs_rest.to_dict()
        return out


@dataclass(frozen=True)
class TestResult:
    """An omnibus test of one item by one breakdown."""

    name: str
    statistic: float
    df: int
    p_value: float
    p_adjusted: float
    effect_size: float
    n: int
    min_expected: float = float("nan")
    share_expected_lt5: float = float("nan")
    p_method: str = "asymptotic"
    ddf: float | None = None
    ndf: float | None = None
    effect_size_name: str = "Cramér's V"
    # Monte-Carlo tables drawn for the p-value (0: not simulated); fewer than asked for
    # when the p-value was clearly large early on (surveykit.analysis.exact).
    resamples: int = 0

    def to_dict(self) -> dict[str, Any]:
        out = {"name": self.name, "statistic": _num(self.statistic), "df": int(self.df),
               "p_value": _num(self.p_value), "p_adjusted": _num(self.p_adjusted),
               "p_method": self.p_method,
               **({"resamples": int(self.resamples)} if self.resamples else {}),
               "effect_size": _num(self.effect_size), "effect_size_name": self.effect_size_name,
               "n": int(self.n), "min_expected": _num(self.min_expected),
               "share_expected_lt5": _num(self.share_expected_lt5)}
        if self.ddf is not None:
            out["ndf"] = _num(self.ndf)
            out["ddf"] = _num(self.ddf)
        return out


@dataclass(frozen=True)
class ItemBreakdown:
    """One item by one breakdown."""

    breakdown: str
    groups: tuple[GroupResult, ...]
    test: TestResult | None
    mean_test: TestResult | None = None

    def to_dict(self, labels: tuple[str, ...]) -> dict[str, Any]:
        return {"groups": [g.to_dict(labels) for g in self.groups],
                "test": self.test.to_dict() if self.test is not None else None,
                "mean_test": self.mean_test.to_dict() if self.mean_test is not None else None}


@dataclass(frozen=True)
class ItemResult:
    """Everything about one scaled item."""

    id: str
    label: str
    theme: str
    labels: tuple[str, ...]
    not_applicable_labels: tuple[str, ...]
    polarity: tuple[int, ...]
    reverse: bool
    overall: Figures
    by: dict[str, ItemBreakdown] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "theme": self.theme,
            "scale": {"labels": list(self.labels),
                      "not_applicable": list(self.not_applicable_labels),
                      "polarity": list(self.polarity)},
            "reverse": self.reverse,
            "overall": self.overall.to_dict(self.labels),
            "by": {b: ib.to_dict(self.labels) for b, ib in self.by.items()},
        }


@dataclass(frozen=True)
class GroupCount:
    """Respondents in one group of a breakdown."""

    group: str
    n: int | None
    suppressed: bool = False
    suppression: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.suppressed:
            return {"group": self.group, "suppressed": True, "suppression": self.suppression}
        return {"group": self.group, "suppressed": False, "n": int(self.n or 0)}


@dataclass(frozen=True)
class BreakdownSummary:
    """Respondents by the groups of one breakdown."""

    id: str
    label: str
    groups: tuple[GroupCount, ...]
    not_stated: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label,
                "groups": [g.to_dict() for g in self.groups], "not_stated": self.not_stated}


@dataclass(frozen=True)
class CrossSummary:
    """Respondents by two breakdowns (the fieldwork table), suppressed cells as None."""

    rows: str
    columns: str
    row_groups: tuple[str, ...]
    column_groups: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "columns": self.columns,
                "row_groups": list(self.row_groups), "column_groups": list(self.column_groups),
                "cells": [list(r) for r in self.cells], "row_totals": list(self.row_totals),
                "column_totals": list(self.column_totals)}


@dataclass(frozen=True)
class MultiFigures:
    """A tick-all-that-apply question within one group."""

    n: int
    counts: tuple[float, ...]
    pct_respondents: tuple[float, ...]
    pct_responses: tuple[float, ...]
    # interval (in %) for each option's % of respondents, as for scaled items
    pct_respondents_ci: tuple[tuple[float, float], ...] = ()

    def to_dict(self, options: tuple[str, ...]) -> dict[str, Any]:
        ci = self.pct_respondents_ci or ((float("nan"), float("nan")),) * len(options)
        return {"n": int(self.n), "options": [
            {"option": o, "count": _num(c), "pct_respondents": _num(pr),
             "pct_respondents_ci": [_num(lo), _num(hi)], "pct_responses": _num(ps)}
            for o, c, pr, ps, (lo, hi) in zip(options, self.counts, self.pct_respondents,
                                              self.pct_responses, ci)]}


@dataclass(frozen=True)
class MultiGroup:
    group: str
    figures: MultiFigures | None
    suppressed: bool = False
    suppression: str | None = None

    def to_dict(self, options: tuple[str, ...]) -> dict[str, Any]:
        if self.suppressed or self.figures is None:
            return {"group": self.group, "suppressed": True, "suppression": self.suppression}
        return {"group": self.group, "suppressed": False, **self.figures.to_dict(options)}


@dataclass(frozen=True)
class OptionTest:
    """One option of a tick-all question: ticked or not, by group."""

    option: str
    name: str
    statistic: float
    df: float
    p_value: float
    p_adjusted: float
    p_method: str = "asymptotic"
    resamples: int = 0  # Monte-Carlo tables drawn, as for TestResult

    def to_dict(self) -> dict[str, Any]:
        return {"option": self.option, "name": self.name, "statistic": _num(self.statistic),
                "df": _num(self.df), "p_value": _num(self.p_value),
                "p_adjusted": _num(self.p_adjusted), "p_method": self.p_method,
                **({"resamples": int(self.resamples)} if self.resamples else {})}


@dataclass(frozen=True)
class MultiResult:
    id: str
    label: str
    options: tuple[str, ...]
    overall: MultiFigures
    by: dict[str, tuple[MultiGroup, ...]] = field(default_factory=dict)
    tests: dict[str, tuple[OptionTest, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "options": list(self.options),
                "overall": self.overall.to_dict(self.options),
                "by": {b: {"groups": [g.to_dict(self.options) for g in gs],
                           "tests": [t.to_dict() for t in self.tests.get(b, ())]}
                       for b, gs in self.by.items()}}


@dataclass(frozen=True)
class IndexGroup:
    group: str
    mean: float | None
    se: float | None
    n: int | None
    suppressed: bool = False
    suppression: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.suppressed:
            return {"group": self.group, "suppressed": True, "suppression": self.suppression}
        return {"group": self.group, "suppressed": False, "n": int(self.n or 0),
                "score": _num(self.mean), "se": _num(self.se)}


@dataclass(frozen=True)
class IndexResult:
    """A composite index (0-100) with its reliability."""

    id: str
    label: str
    items: tuple[str, ...]
    min_share: float
    score: float
    se: float
    n: int
    alpha: float
    alpha_n: int
    alpha_if_deleted: tuple[float, ...]
    item_rest: tuple[float, ...]
    by: dict[str, tuple[IndexGroup, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "items": list(self.items),
                "min_share": self.min_share,
                "overall": {"n": int(self.n), "score": _num(self.score), "se": _num(self.se)},
                "reliability": {"cronbach_alpha": _num(self.alpha), "n": int(self.alpha_n),
                                "alpha_if_deleted": dict(zip(self.items, map(_num, self.alpha_if_deleted))),
                                "item_rest_correlation": dict(zip(self.items, map(_num, self.item_rest)))},
                "by": {b: {"groups": [g.to_dict() for g in gs]} for b, gs in self.by.items()}}


@dataclass(frozen=True)
class Finding:
    """A headline: one group differs from the rest of the sample, significantly."""

    item: str
    item_label: str
    breakdown: str
    breakdown_label: str
    group: str
    direction: str  # "higher" or "lower"
    group_pct: float
    group_n: int
    rest_pct: float
    rest_n: int
    p_adjusted: float
    omnibus_p_adjusted: float

    def to_dict(self) -> dict[str, Any]:
        return {k: (_num(v) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Nesting:
    """Breakdown ``child`` is nested in ``parent``: each child group lies in one parent group
    (e.g. sites within sectors). ``parent_of[j]`` is the parent group index of child group j."""

    child: str
    parent: str
    parent_of: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"child": self.child, "parent": self.parent, "parent_of": list(self.parent_of)}


@dataclass(frozen=True)
class Settings:
    """How the results were made (written into results.json and the methods note)."""

    min_group: int
    correction: str
    alpha: float
    min_difference: float
    weighted: bool = False
    ci_method: str = "wilson"
    confidence: float = 0.95
    letters_strict: float = 0.01
    letters_loose: float = 0.05
    letters_family: str = "item"
    population: float | None = None
    weighting: dict[str, Any] | None = None
    # The sampling design the variances assume, in words for the methods note (e.g.
    # "stratified by sector with finite population correction"), and for a stratified
    # design its strata (see surveykit.analysis.strata.Strata.to_dict).
    design: str = "no finite population correction"
    strata: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: (_num(v) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class SurveyResults:
    """All results of one analysis run."""

    title: str
    source: str
    respondents: int
    breakdowns: tuple[BreakdownSummary, ...]
    items: tuple[ItemResult, ...]
    multi: tuple[MultiResult, ...]
    cross: tuple[CrossSummary, ...]
    settings: Settings
    indices: tuple[IndexResult, ...] = ()
    nesting: tuple[Nesting, ...] = ()
    findings: tuple[Finding, ...] = ()
    warnings: tuple[str, ...] = ()
    suppression_applied: bool = False
    # Respondents by every pair of breakdowns, for suppression only: unsuppressed counts,
    # so never in to_dict() and dropped by suppress().
    overlaps: tuple[Overlap, ...] = field(default=(), repr=False, compare=False)

    def item(self, item_id: str) -> ItemResult:
        return next(i for i in self.items if i.id == item_id)

    def to_dict(self) -> dict[str, Any]:
        """The ``results.json`` payload (without the version header the renderer adds)."""
        return {
            "title": self.title,
            "respondents": int(self.respondents),
            "breakdowns": [b.id for b in self.breakdowns],
            "breakdown_summary": [b.to_dict() for b in self.breakdowns],
            "cross": [c.to_dict() for c in self.cross],
            "settings": self.settings.to_dict(),
            "nesting": [x.to_dict() for x in self.nesting],
            "suppression_applied": self.suppression_applied,
            "items": [i.to_dict() for i in self.items],
            "multi": [m.to_dict() for m in self.multi],
            "indices": [x.to_dict() for x in self.indices],
            "findings": [f.to_dict() for f in self.findings],
            "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """Tidy long table: one row per item x breakdown x group x answer category.

        ``count`` and ``weighted_base`` are sums of weights when the survey is weighted (and
        ``pct`` their ratio); ``base`` is always the unweighted number of respondents.
        """
        rows = []
        for item in self.items:
            cells = [("(overall)", OVERALL, item.overall, False)]
            for b, ib in item.by.items():
                cells += [(b, g.group, g.figures, g.suppressed) for g in ib.groups]
            for breakdown, group, fig, hidden in cells:
                shown = not hidden and fig is not None
                base = fig.n if shown else None
                wbase = (fig.weighted_n if fig.weighted_n is not None else fig.n) if shown else None
                for cat, label in enumerate(item.labels):
                    count = fig.counts[cat] if shown else None
                    rows.append({
                        "item": item.id, "breakdown": breakdown, "group": group,
                        "category": label, "count": count, "base": base,
                        "weighted_base": wbase,
                        "pct": (100 * count / wbase) if count is not None and wbase else None,
                        "suppressed": hidden,
                    })
        return pd.DataFrame(rows, columns=["item", "breakdown", "group", "category", "count",
                                           "base", "weighted_base", "pct", "suppressed"])
