"""How close is ``analyse`` to the cost of counting? 1,000,000 x 60 items x 3 breakdowns.

Synthetic data: 60 five-point items (about 3% skipped, 2% "Don't know"), breakdowns
sector (6 groups), role (5) and site (40), each with about 1% not stated. The Survey is
built directly from numpy arrays (``Survey(...)``), so reading and coding are not timed.

Timed, best of ``--repeat``:

* **floor**: a plain ``numpy.bincount`` per breakdown over flat (item, group, category)
  indices, i.e. the counting any analysis of these cells cannot avoid; for the weighted
  run the floor is the same three bincounts with weights and squared weights as well
  (sum of weights and of squared weights per cell are what design-based variances need);
* **analyse()**: ``surveykit.analysis.analyse`` with every test it runs by default:
  bases, % positive / neutral / negative, means, nets, intervals (Wilson, or logit as
  ``svyciprop``), chi-square with Cramér's V (Fisher / Monte-Carlo where sparse) or
  Rao-Scott, group-vs-rest tests, column letters at two levels, Kruskal-Wallis or a
  weighted Wald test of means, Holm corrections;
* the same with weights (lognormal, as raking makes), with weights plus a finite
  population correction (N = 1.25 x respondents), and with weights in a design stratified
  by sector with an FPC per sector (response rates 13% to 80%, as
  ``analyse(population=Population)``).

The target (issue 4) is analyse / floor <= 2. ``analyse`` can beat the floor: it counts
all breakdowns in one joint pass (sector x role x site), timed here too for reference.

    PYTHONPATH=src python benchmarks/analysis_speed.py [--rows 1000000] [--items 60]
        [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import pstats
import time

import numpy as np
import pandas as pd

from surveykit import Breakdown, Codebook, Item, Survey
from surveykit.analysis import analyse
from surveykit.model import Population, PopulationRow
from surveykit.presets import AGREE5

BREAKDOWNS = {"sector": 6, "role": 5, "site": 40}


def make_survey(rows: int, items: int, seed: int = 1) -> Survey:
    rng = np.random.default_rng(seed)
    scale = dataclasses.replace(AGREE5, not_applicable=("Don't know",))  # excluded from base
    k = scale.k
    codes = np.empty((rows, items), dtype=np.int16, order="F")
    for j in range(items):
        col = rng.integers(0, k, size=rows, dtype=np.int16)
        u = rng.random(rows)
        col[u < 0.03] = -1  # skipped
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


def sector_headcounts(survey: Survey) -> Population:
    """Headcounts by sector with response rates from 13% to 80% (a stratified design)."""
    rates = np.linspace(0.13, 0.8, len(survey.groups["sector"]))
    counts = np.bincount(survey.group_codes["sector"][survey.group_codes["sector"] >= 0])
    return Population(source="synthetic", rows=tuple(
        PopulationRow(row=i + 2, breakdown="sector", group=g, headcount=float(np.ceil(c / r)))
        for i, (g, c, r) in enumerate(zip(survey.groups["sector"], counts, rates))))


def repeated_weights(weights: np.ndarray, items: int) -> tuple[np.ndarray, np.ndarray]:
    """The weights and squared weights laid out as the floor's flat index (item-major),
    built once and not timed, so the weighted floor is only the three bincounts."""
    w = np.tile(weights, items)
    return w, w * w


def floor(survey: Survey, weights: tuple[np.ndarray, np.ndarray] | None = None
          ) -> list[np.ndarray]:
    """One bincount per breakdown over flat (item, group, category) indices (and, with
    ``repeated_weights``, the same bincount of the weights and of the squared weights)."""
    codes = survey.item_codes
    m = codes.shape[1]
    c1 = len(survey.codebook.items[0].effective_scale.categories) + 1
    w, w2 = weights if weights is not None else (None, None)
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
        flat = idx.ravel(order="F")
        cubes.append(np.bincount(flat, minlength=m * g1 * c1))
        if w is not None:
            cubes.append(np.bincount(flat, weights=w, minlength=m * g1 * c1))
            cubes.append(np.bincount(flat, weights=w2, minlength=m * g1 * c1))
    return cubes


def joint_floor(survey: Survey) -> np.ndarray:
    """The counting analyse itself does: every respondent's groups in all breakdowns folded
    into one joint group, and one bincount over (item, joint group, category)."""
    codes = survey.item_codes
    m = codes.shape[1]
    c1 = len(survey.codebook.items[0].effective_scale.categories) + 1
    joint = np.zeros(codes.shape[0], dtype=np.intp)
    size = 1
    for name, labels in survey.groups.items():
        g1 = len(labels) + 1
        grp = survey.group_codes[name]
        joint = joint * g1 + np.where(grp < 0, g1 - 1, grp)
        size *= g1
    idx = codes.astype(np.intp)
    idx[idx < 0] = c1 - 1
    idx += (joint * c1)[:, None]
    idx += (np.arange(m, dtype=np.intp) * (size * c1))[None, :]
    return np.bincount(idx.ravel(order="F"), minlength=m * size * c1)


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
    weighted = dataclasses.replace(survey, weights=weights)
    population = 1.25 * args.rows

    # the floor's counts must be analyse's counts, or the comparison means nothing
    results = analyse(survey)
    cube = floor(survey)[0].reshape(args.items, len(survey.groups["sector"]) + 1, -1)
    fig = results.items[0].by["sector"].groups[0].figures
    assert fig.counts == tuple(float(c) for c in cube[0, 0, : len(fig.counts)])
    wres = analyse(weighted)
    reps = repeated_weights(weights, args.items)
    wcube = floor(survey, reps)[1].reshape(args.items, len(survey.groups["sector"]) + 1, -1)
    wfig = wres.items[0].by["sector"].groups[0].figures
    assert np.allclose(wfig.counts, wcube[0, 0, : len(wfig.counts)], rtol=1e-12)
    tests = {b: results.items[0].by[b].test.name for b in BREAKDOWNS}
    wtests = {b: wres.items[0].by[b].test.name for b in BREAKDOWNS}

    t_floor = best(lambda: floor(survey), args.repeat)
    t_analyse = best(lambda: analyse(survey), args.repeat)
    t_joint = best(lambda: joint_floor(survey), args.repeat)
    t_wfloor = best(lambda: floor(survey, reps), args.repeat)
    t_weighted = best(lambda: analyse(weighted), args.repeat)
    t_fpc = best(lambda: analyse(weighted, population=population), args.repeat)
    heads = sector_headcounts(survey)
    sres = analyse(weighted, population=heads)
    assert sres.settings.strata["breakdown"] == "sector"
    t_strata = best(lambda: analyse(weighted, population=heads), args.repeat)
    print(f"{args.rows:,} respondents x {args.items} items x {len(BREAKDOWNS)} breakdowns "
          f"({', '.join(f'{k} {v}' for k, v in BREAKDOWNS.items())}); best of {args.repeat}")
    print(f"unweighted tests: {tests}; weighted: {wtests}")
    rows = [
        ("floor: bincount per breakdown", t_floor, t_floor),
        ("analyse(), unweighted, all tests", t_analyse, t_floor),
        ("  (joint bincount, as analyse counts)", t_joint, t_floor),
        ("floor: bincount n, w, w^2 per breakdown", t_wfloor, t_wfloor),
        ("analyse(), weighted, all tests", t_weighted, t_wfloor),
        ("analyse(), weighted + FPC, all tests", t_fpc, t_wfloor),
        ("analyse(), weighted, stratified + FPC", t_strata, t_wfloor),
    ]
    for label, secs, ref in rows:
        print(f"{label:<42} {secs:7.3f} s  ratio to its floor {secs / ref:5.2f}")
    if args.profile:
        for label, fn in (("analyse, unweighted", lambda: analyse(survey)),
                          ("analyse, weighted", lambda: analyse(weighted)),
                          ("analyse, stratified", lambda: analyse(weighted, population=heads))):
            prof = cProfile.Profile()
            prof.runcall(fn)
            print(f"\n--- profile: {label} (cumulative, top 25) ---")
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
