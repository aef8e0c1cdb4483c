"""Wave-to-wave change: is this year's % positive really different from last year's?

Each wave is summarised from its (suppressed) results, so a comparison can start from a
data file or from an earlier ``results.json``. For each item, overall and per shown group,
the change in % positive between consecutive waves is tested as two independent proportions
(respondents differ between waves, as in the NHS Staff Survey's "significantly better /
worse / no significant change") and the p-values are corrected across the whole family of
comparisons. Items are matched by their stable codebook id; a changed wording or scale is
flagged and not compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from surveykit.analysis.significance import adjust, two_proportions

OVERALL = "(overall)"


@dataclass(frozen=True)
class WaveItem:
    id: str
    label: str
    scale: tuple[str, ...]
    # (breakdown, group) -> (n, % positive, Kish effective n or None when unweighted)
    cells: Mapping[tuple[str, str], tuple[int, float, float | None]]


@dataclass(frozen=True)
class Wave:
    """One wave's shown figures (suppressed groups are simply absent)."""

    name: str
    respondents: int
    items: Mapping[str, WaveItem]

    @classmethod
    def from_results_dict(cls, name: str, payload: Mapping[str, Any]) -> Wave:
        """Build from a ``results.json`` payload (or ``SurveyResults.to_dict()``)."""
        items = {}
        for it in payload["items"]:
            cells = {(OVERALL, OVERALL): _cell(it["overall"])}
            for bid, block in it.get("by", {}).items():
                for g in block["groups"]:
                    if not g.get("suppressed") and g.get("n"):
                        cells[(bid, g["group"])] = _cell(g)
            items[it["id"]] = WaveItem(id=it["id"], label=it["label"],
                                       scale=tuple(it.get("scale", {}).get("labels", ())),
                                       cells=cells)
        return cls(name=name, respondents=int(payload["respondents"]), items=items)


def _pct(x: Any) -> float:
    return float("nan") if x is None else float(x)


def _cell(figures: Mapping[str, Any]) -> tuple[int, float, float | None]:
    n_eff = figures.get("n_eff")
    return int(figures["n"]), _pct(figures["pct_positive"]), \
        None if n_eff is None else float(n_eff)


@dataclass(frozen=True)
class Change:
    """One item (overall or in one group) from one wave to the next."""

    item: str
    breakdown: str
    group: str
    wave_from: str
    wave_to: str
    n_from: int
    n_to: int
    pct_from: float
    pct_to: float
    change: float
    p_value: float
    p_adjusted: float
    label: str  # "better", "worse", "no significant change", "not tested"
    weighted: bool = False  # tested on weighted % with Kish effective bases

    def to_dict(self) -> dict[str, Any]:
        def num(v):
            return None if isinstance(v, float) and not np.isfinite(v) else v
        return {k: num(v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class WaveComparison:
    """All changes, plus what could not be compared and why."""

    waves: tuple[str, ...]
    changes: tuple[Change, ...]
    trends: Mapping[str, tuple[float, ...]]  # item -> overall % positive per wave
    wording_changed: tuple[tuple[str, str, str], ...]  # (item, wave, what changed)
    only_in_some: tuple[tuple[str, tuple[str, ...]], ...]  # (item, waves it is in)
    correction: str
    alpha: float
    # item -> its wording in the latest wave that asks it, so an item dropped since an
    # earlier wave can be named by its question, not by its id
    labels: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "waves": list(self.waves), "correction": self.correction, "alpha": self.alpha,
            "changes": [c.to_dict() for c in self.changes],
            "trends": {k: [None if not np.isfinite(v) else v for v in vs]
                       for k, vs in self.trends.items()},
            "wording_changed": [{"item": i, "wave": w, "change": c}
                                for i, w, c in self.wording_changed],
            "only_in_some_waves": [{"item": i, "label": self.labels.get(i, i), "waves": list(w)}
                                   for i, w in self.only_in_some],
        }


def compare_waves(waves: Sequence[Wave], *, correction: str = "holm",
                  alpha: float = 0.05) -> WaveComparison:
    """Compare each wave with the one before it.

    Parameters
    ----------
    waves
        Oldest first.
    correction
        Multiple-comparison correction across every comparison made (all items, overall
        and groups, all consecutive pairs): ``"holm"`` (default), ``"bh"``, ``"bonferroni"``
        or ``"none"``.
    alpha
        Level at which a change is labelled better or worse.

    Notes
    -----
    Proportions are compared with the pooled two-proportion z-test (R's ``prop.test(...,
    correct = FALSE)``), which treats the waves as independent samples. Where a wave is
    weighted, its weighted % positive is tested with its Kish effective base
    ``(sum w)^2 / sum w^2`` in place of the head count (Kish 1965), so unequal weights cost
    the precision they really cost. A group shown in one wave and suppressed in the other
    is not compared.
    """
    if len(waves) < 2:
        raise ValueError("comparing needs at least two waves")
    names = tuple(w.name for w in waves)
    all_ids = list(dict.fromkeys(i for w in waves for i in w.items))
    only = tuple((i, tuple(w.name for w in waves if i in w.items)) for i in all_ids
                 if not all(i in w.items for w in waves))
    changed: list[tuple[str, str, str]] = []
    rows: list[dict[str, Any]] = []
    for prev, cur in zip(waves, waves[1:]):
        for item_id, now in cur.items.items():
            before = prev.items.get(item_id)
            if before is None:
                continue
            if before.scale and now.scale and before.scale != now.scale:
                changed.append((item_id, cur.name, "answer scale changed"))
                continue
            if before.label != now.label:
                changed.append((item_id, cur.name,
                                f"wording changed from “{before.label}” to “{now.label}”"))
                continue
            for key, (n_to, pct_to, eff_to) in now.cells.items():
                if key not in before.cells:
                    continue
                n_from, pct_from, eff_from = before.cells[key]
                rows.append({"item": item_id, "breakdown": key[0], "group": key[1],
                             "wave_from": prev.name, "wave_to": cur.name, "n_from": n_from,
                             "n_to": n_to, "pct_from": pct_from, "pct_to": pct_to,
                             "weighted": eff_from is not None or eff_to is not None,
                             "base_from": n_from if eff_from is None else eff_from,
                             "base_to": n_to if eff_to is None else eff_to})
    if rows:
        n1 = np.array([r.pop("base_from") for r in rows], dtype=float)
        n2 = np.array([r.pop("base_to") for r in rows], dtype=float)
        p1 = np.array([r["pct_from"] for r in rows]) / 100
        p2 = np.array([r["pct_to"] for r in rows]) / 100
        x1, x2 = p1 * n1, p2 * n2
        # Unweighted counts are whole respondents: rounding undoes floating-point noise
        # from the JSON. Weighted waves are tested on the weighted % with Kish effective
        # bases, which are not whole numbers.
        whole = ~np.array([r["weighted"] for r in rows], dtype=bool)
        x1[whole], x2[whole] = np.round(x1[whole]), np.round(x2[whole])
        test = two_proportions(x2, n2, x1, n1)
        p_adj = adjust(test["p_value"], correction)
    changes = []
    for j, r in enumerate(rows):
        pa = float(p_adj[j])
        diff = r["pct_to"] - r["pct_from"]
        label = ("not tested" if not np.isfinite(pa) else
                 "no significant change" if pa >= alpha else
                 "better" if diff > 0 else "worse")
        changes.append(Change(**r, change=diff, p_value=float(test["p_value"][j]),
                              p_adjusted=pa, label=label))
    trends = {i: tuple(w.items[i].cells[(OVERALL, OVERALL)][1] if i in w.items else np.nan
                       for w in waves) for i in all_ids}
    return WaveComparison(waves=names, changes=tuple(changes), trends=trends,
                          wording_changed=tuple(changed), only_in_some=only,
                          correction=correction, alpha=alpha,
                          labels={i: next(w.items[i].label for w in reversed(waves)
                                          if i in w.items) for i in all_ids})
