"""How close is ``analyse`` to the cost of counting? 1,000,000 x 60 items x 3 breakdowns.

Synthetic data: 60 five-point items (about 3% skipped), breakdowns sector
(6 groups), role (5) and site (40), each with about 1% not stated. The Survey is built
directly from numpy arrays (``Survey(...)``), so reading and coding are not timed.

Timed:

* **floor**: a plain ``numpy.bincount`` per breakdown over flat (item, group, category)
  indices: the counting ``analyse`` cannot avoid;
* **analyse**: ``surveykit.analysis.analyse`` as it stands;
* the statistics of the new modules that work from the counts ``analyse`` already has
  (letters, rank tests, nets, Wilson intervals), given the cubes;
* the weighted path: cell sums (count, sum of weights, sum of squared weights) and the
  design-based statistics from them (Rao-Scott, Korn-Graubard intervals, weighted letters,
  weighted mean tests);
* projections of ``analyse`` with those statistics integrated (the weighted projection
  swaps ``count_cube`` for ``cell_sums``), as ratios to the floor.

    PYTHONPATH=src python benchmarks/analysis_speed.py [--rows 1000000] [--items 60]
        [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

import numpy as np
import pandas as pd

from surveykit import Breakdown, Codebook, Item, Survey
from surveykit.analysis import analyse
from surveykit.analysis.counts import count_cube
from surveykit.analysis.intervals import proportion_interval_from_sums, wilson_interval
from surveykit.analysis.letters import column_letters, column_letters_weighted
from surveykit.analysis.meantests import (
    kruskal_from_counts,
    mann_whitney_vs_rest,
    weighted_mean_tests,
)
from surveykit.analysis.nets import nets
from surveykit.analysis.raoscott import rao_scott
from surveykit.analysis.weights import cell_sums_many
from surveykit.presets import AGREE5

BREAKDOWNS = {"sector": 6, "role": 5, "site": 40}


def make_survey(rows: int, items: int, seed: int = 1) -> Survey:
    rng = np.random.default_rng(seed)
    scale = AGREE5  # 5 labels, no not-applicable answer
    k = scale.k
    codes = np.empty((rows, items), dtype=np.int16, order="F")
    for j in range(items):
        col = rng.integers(0, k, size=rows, dtype=np.int16)
        u = rng.random(rows)
        col[u < 0.03] = -1  # skipped
        if scale.not_applicable:
            col[(u >= 0.03) & (u < 0.05)] = k  # "Don't know"
        codes[:, j] = col
    group_codes, groups = {}, {}
    for name, g in BREAKDOWNS.items():
        c = rng.integers(0, g, size=rows).astype(np.int32)
        c[rng.random(rows) < 0.01] = -1
        group_codes[name] = c
        groups[name] = tuple(f"{name} {i + 1}" for i in range(g))
    codebook = Codebook(
        items=tuple(Item(id=f"q{j + 1:02d}", column=f"Q{j + 1}", label=f"Item {j + 1}",
                         scale=scale) for j in range(items)),
        breakdowns=tuple(Breakdown(id=n, column=n, label=n.title(), groups=groups[n])
                         for n in BREAKDOWNS))
    return Survey(responses=pd.DataFrame(index=pd.RangeIndex(rows)), codebook=codebook,
                  item_codes=codes, group_codes=group_codes, groups=groups, multi_ticks={},
                  multi_answered={}, weights=None, source="synthetic")


def floor(survey: Survey) -> list[np.ndarray]:
    """One bincount per breakdown over flat (item, group, category) indices."""
    codes = survey.item_codes
    m = codes.shape[1]
    c1 = len(survey.codebook.items[0].effective_scale.categories) + 1
    cubes = []
    for name, labels in survey.groups.items():
        g1 = len(labels) + 1
        grp = survey.group_codes[name]
        base = np.where(grp < 0, g1 - 1, grp).astype(np.intp) * c1
        item_off = np.arange(m, dtype=np.intp) * (g1 * c1)
        idx = codes.astype(np.intp)
        idx[idx < 0] = c1 - 1
        idx += base[:, None]
        idx += item_off[None, :]
        cubes.append(np.bincount(idx.ravel(order="F"), minlength=m * g1 * c1))
    return cubes


def count_all(survey: Survey) -> dict[str, np.ndarray]:
    """The cubes analyse counts (one per breakdown), for the statistics that reuse them."""
    n_cat = max(len(it.effective_scale.categories) for it in survey.codebook.items)
    return {name: count_cube(survey.item_codes, survey.group_codes[name], len(labels), n_cat)
            for name, labels in survey.groups.items()}


def stats_unweighted(survey: Survey, cubes: dict[str, np.ndarray]) -> None:
    """New statistics that work from analyse's count cubes: letters, Wilson, rank tests, nets."""
    k = np.array([it.effective_scale.k for it in survey.codebook.items])
    kmax = int(k.max())
    for name, cube in cubes.items():
        g = len(survey.groups[name])
        valid = cube[:, :g, :kmax]
        n = valid.sum(axis=2)
        x = cube[:, :g, kmax - 2:kmax].sum(axis=2)  # top-2 = % positive on agree5
        column_letters(x, n, min_n=10)
        wilson_interval(x, n)
        kruskal_from_counts(valid)
        mann_whitney_vs_rest(cube[:, :, :kmax])
        nets(cube, k)


def sums_all(survey: Survey, weights: np.ndarray | None) -> dict:
    """Cell sums (count, sum w, sum w^2) for every breakdown in one joint pass."""
    n_cat = max(len(it.effective_scale.categories) for it in survey.codebook.items)
    names = list(survey.groups)
    sums = cell_sums_many(survey.item_codes, [survey.group_codes[n] for n in names],
                          [len(survey.groups[n]) for n in names], n_cat, weights)
    return dict(zip(names, sums))


def stats_weighted(survey: Survey, sums: dict) -> None:
    """Design-based statistics from the cell sums: Rao-Scott, Korn-Graubard, letters, means."""
    k = survey.codebook.items[0].effective_scale.k
    for name, s in sums.items():
        g = len(survey.groups[name])
        valid = np.zeros((s.w.shape[0], s.w.shape[2] - 1), dtype=bool)
        valid[:, :k] = True
        rao_scott(survey.item_codes, survey.group_codes[name], g,
                  n_categories=s.w.shape[2] - 1, valid=valid, sums=s)
        wp, w2p = s.w[:, :g, k - 2:k].sum(-1), s.w2[:, :g, k - 2:k].sum(-1)
        w, w2 = s.w[:, :g, :k].sum(-1), s.w2[:, :g, :k].sum(-1)
        n = s.n[:, :g, :k].sum(-1)
        ci = proportion_interval_from_sums(wp, w2p, w, w2, n, survey.n, method="beta")
        column_letters_weighted(ci.estimate, se=ci.se, n=n, min_n=10)
        weighted_mean_tests(s.w[:, :, :k], s.w2[:, :, :k], np.arange(1, k + 1), survey.n)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    survey = make_survey(args.rows, args.items)
    weights = np.random.default_rng(2).lognormal(0, 0.4, args.rows)

    # the floor's counts must be analyse's counts, or the comparison means nothing
    results = analyse(survey)
    cube = floor(survey)[0].reshape(args.items, len(survey.groups["sector"]) + 1, -1)
    fig = results.items[0].by["sector"].groups[0].figures
    assert fig.counts == tuple(float(c) for c in cube[0, 0, : len(fig.counts)])

    cubes, sums = count_all(survey), sums_all(survey, weights)
    t_floor = best(lambda: floor(survey), args.repeat)
    t_analyse = best(lambda: analyse(survey), args.repeat)
    t_cube = best(lambda: count_all(survey), args.repeat)
    t_joint = best(lambda: sums_all(survey, None), args.repeat)
    t_unw = best(lambda: stats_unweighted(survey, cubes), args.repeat)
    t_sums = best(lambda: sums_all(survey, weights), args.repeat)
    t_w = best(lambda: stats_weighted(survey, sums), args.repeat)
    unweighted = t_analyse + t_unw
    weighted = t_analyse - t_cube + t_sums + t_unw + t_w
    print(f"{args.rows:,} respondents x {args.items} items x {len(BREAKDOWNS)} breakdowns "
          f"({', '.join(f'{k} {v}' for k, v in BREAKDOWNS.items())}); best of {args.repeat}")
    rows = [
        ("floor: one bincount per breakdown", t_floor, True, ""),
        ("analyse()", t_analyse, True, ""),
        (f"  count_cube x {len(BREAKDOWNS)} (as analyse counts)", t_cube, True, ""),
        ("  one joint pass for all breakdowns", t_joint, True, "cell_sums_many, unweighted"),
        ("new statistics from the cubes", t_unw, False,
         "letters, Wilson, Kruskal-Wallis, Mann-Whitney vs rest, nets"),
        ("weighted cell sums, joint pass", t_sums, False, "n, sum w, sum w^2"),
        ("weighted statistics from the sums", t_w, False,
         "Rao-Scott, Korn-Graubard, weighted letters, mean tests"),
        ("projected: analyse + new tests", unweighted, True, "unweighted survey"),
        ("  ... counting in one joint pass", t_analyse - t_cube + t_joint + t_unw, True,
         "count_cube swapped for cell_sums_many"),
        ("projected: weighted analyse + all tests", weighted, True,
         "count_cube swapped for weighted joint sums"),
    ]
    for label, secs, ratio, note in rows:
        r = f"ratio {secs / t_floor:5.2f}" if ratio else " " * 11
        print(f"{label:<42} {secs:7.3f} s  {r}  {note}")
    if args.profile:
        for label, fn in (("analyse", lambda: analyse(survey)),
                          ("weighted sums + statistics",
                           lambda: stats_weighted(survey, sums_all(survey, weights)))):
            prof = cProfile.Profile()
            prof.runcall(fn)
            print(f"\n--- profile: {label} (cumulative, top 18) ---")
            pstats.Stats(prof).sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    main()
