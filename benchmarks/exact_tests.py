"""What do Fisher's exact / Monte-Carlo tests cost? 20,000 respondents x 20 items, 40 sites.

Synthetic data: 20 five-point items (a rare "Strongly disagree" (2%), about 3% skipped), a
sector breakdown (6 groups) and a site breakdown (40 groups of very unequal size, from
thousands of respondents down to a handful), each with about 1% not stated. Unequal sites
and a rare answer make every item-by-site table sparse by Cochran's rule, so every one of
them gets Fisher's test, by Monte-Carlo (40 x 5 tables have far too many tables with their
margins to enumerate). Most items are unrelated to site (their p-values are spread over 0
to 1); ``--effects`` of them differ by site, so their p-values are small and need every
resample.

Timed, best of ``--repeat``:

* ``analyse()``: every test it runs by default;
* ``suppress()``: the small sites are hidden, so every item-by-site test is redone over the
  shown sites plus the pooled remainder (another Monte-Carlo test per item);
* the Fisher tests alone: ``fisher_test`` on the item-by-site tables ``analyse`` tested, and
  the resamples they drew.

Also prints, for comparison, the same with early stopping switched off (every sparse table
gets all 20,000 resamples, as before early stopping existed), how many tests stopped early
and how far their p-values moved (within Monte-Carlo error, all above 0.2), and the largest
change among tests that drew everything (it must be 0: they see the same random tables).

    PYTHONPATH=src python benchmarks/exact_tests.py [--rows 20000] [--items 20]
        [--effects 5] [--repeat 1]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from surveykit import Breakdown, Codebook, Item, Survey
from surveykit.analysis import analyse, exact, suppress
from surveykit.presets import AGREE5

ANSWERS = np.array([0.02, 0.08, 0.2, 0.45, 0.25])  # Strongly disagree ... Strongly agree


def make_survey(rows: int, items: int, effects: int, seed: int = 7) -> Survey:
    rng = np.random.default_rng(seed)
    scale = AGREE5
    sizes = 1.0 / np.arange(1, 41) ** 1.5  # site 1 about 40% of staff, site 38 about 0.2%
    sizes[-2:] *= 0.15  # and two sites of a handful of people (hidden by suppress)
    site = rng.choice(40, size=rows, p=sizes / sizes.sum()).astype(np.int32)
    sector = rng.integers(0, 6, size=rows).astype(np.int32)
    for c in (site, sector):
        c[rng.random(rows) < 0.01] = -1
    codes = np.empty((rows, items), dtype=np.int16, order="F")
    for j in range(items):
        if j < effects:  # half the sites lean negative on this item
            lean = np.where((site >= 0) & (site % 2 == 0), 0.10, 0.0)
            p_low = ANSWERS[0] + lean
            u = rng.random(rows)
            col = np.where(u < p_low, 0, 1 + rng.choice(4, size=rows, p=ANSWERS[1:] /
                                                        ANSWERS[1:].sum()))
        else:
            col = rng.choice(5, size=rows, p=ANSWERS)
        col = col.astype(np.int16)
        col[rng.random(rows) < 0.03] = -1
        codes[:, j] = col
    groups = {"sector": tuple(f"sector {i + 1}" for i in range(6)),
              "site": tuple(f"site {i + 1}" for i in range(40))}
    codebook = Codebook(
        items=tuple(Item(id=f"q{j + 1:02d}", column=f"Q{j + 1}", label=f"Item {j + 1}",
                         scale=scale) for j in range(items)),
        breakdowns=tuple(Breakdown(id=n, column=n, label=n.title(), groups=g)
                         for n, g in groups.items()))
    return Survey(responses=pd.DataFrame(index=pd.RangeIndex(rows)), codebook=codebook,
                  item_codes=codes, group_codes={"sector": sector, "site": site},
                  groups=groups, multi_ticks={}, multi_answered={}, weights=None,
                  source="synthetic")


def best(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def site_tables(survey: Survey) -> list[np.ndarray]:
    """The item-by-site count tables (answers only) that analyse tests."""
    tables = []
    site = survey.group_codes["site"]
    for j in range(survey.item_codes.shape[1]):
        a = survey.item_codes[:, j]
        keep = (a >= 0) & (site >= 0)
        t = np.zeros((40, 5), dtype=np.int64)
        np.add.at(t, (site[keep], a[keep]), 1)
        tables.append(t)
    return tables


def run(survey: Survey, repeat: int) -> dict:
    t_an, res = best(lambda: analyse(survey), repeat)
    t_su, sup = best(lambda: suppress(res, min_group=10), repeat)
    tables = site_tables(survey)
    t_fi, fisher = best(lambda: [exact.fisher_test(t) for t in tables], repeat)
    tests = [i.by["site"].test for i in res.items]
    return {"analyse": t_an, "suppress": t_su, "fisher": t_fi, "tests": tests,
            "fisher_results": fisher,
            "suppressed_tests": [i.by["site"].test for i in sup.items]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--effects", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    survey = make_survey(args.rows, args.items, args.effects)
    sequential = run(survey, args.repeat)
    methods = {t.p_method for t in sequential["tests"]}
    print(f"{args.rows:,} respondents x {args.items} items; site (40 groups) and sector (6); "
          f"{args.effects} items differ by site; best of {args.repeat}")
    print(f"item-by-site tests: {sorted(methods)}")
    draws = [r.resamples for r in sequential["fisher_results"]]
    print(f"resamples drawn per item-by-site table: {draws}")
    print(f"{'analyse()':<34} {sequential['analyse']:7.2f} s")
    print(f"{'suppress() (tests redone)':<34} {sequential['suppress']:7.2f} s")
    print(f"{'fisher_test on the 20 site tables':<34} {sequential['fisher']:7.2f} s")
    if hasattr(exact, "STOP_ABOVE"):
        full_stop = exact.STOP_ABOVE
        exact.STOP_ABOVE = float("inf")  # never stop early: every table gets 20,000
        try:
            full = run(survey, args.repeat)
        finally:
            exact.STOP_ABOVE = full_stop
        print("without early stopping (20,000 resamples per sparse table):")
        print(f"{'analyse()':<34} {full['analyse']:7.2f} s")
        print(f"{'suppress() (tests redone)':<34} {full['suppress']:7.2f} s")
        print(f"{'fisher_test on the 20 site tables':<34} {full['fisher']:7.2f} s")
        pairs = [(a, b.p_value) for a, b in
                 zip(sequential["tests"] + sequential["suppressed_tests"],
                     full["tests"] + full["suppressed_tests"])]
        kept = [abs(a.p_value - b) for a, b in pairs if a.resamples == 20_000]
        stopped = [(a.p_value, b) for a, b in pairs if 0 < a.resamples < 20_000]
        print(f"Monte-Carlo tests (analyse and suppress): {len(kept) + len(stopped)} of "
              f"{len(pairs)}; all 20,000 drawn: {len(kept)}, "
              f"p-values changed by at most {max(kept, default=0.0):.3g}; stopped early: "
              f"{len(stopped)}, smallest p {min((a for a, _ in stopped), default=float('nan')):.3f}"
              f" (without stopping {min((b for _, b in stopped), default=float('nan')):.3f}), "
              f"largest change {max((abs(a - b) for a, b in stopped), default=0.0):.3f}")


if __name__ == "__main__":
    main()
