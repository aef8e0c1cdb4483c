"""Issue #2 benchmark: a numeric 1-5 survey with no codebook, 100,000 x 70, two breakdowns.

Writes the CSV once to a temporary folder, then runs the whole job (read, infer codebook,
analyse, suppress, render HTML + JSON) through the library and prints each stage's time.
It also checks one item's figures against pandas, so a fast wrong answer cannot pass.

    python benchmarks/numeric_no_codebook.py [--rows 100000] [--items 70]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_csv(path: Path, rows: int, items: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    data = {
        "id": np.arange(1, rows + 1),
        "sector": rng.choice(["Health", "Housing", "Social care", "Education", "Employment",
                              "Training"], size=rows),
        "role": rng.choice(["Frontline", "Manager", "Senior", "Admin"], size=rows),
    }
    for j in range(items):
        values = rng.integers(1, 6, size=rows).astype(float)
        values[rng.random(rows) < 0.03] = np.nan  # skipped questions
        data[f"q{j + 1:02d}"] = values
    pd.DataFrame(data).to_csv(path, index=False, float_format="%.0f")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=70)
    args = parser.parse_args()
    from surveykit import analyse, suppress
    from surveykit.render import render_html, render_json
    from surveykit.report import load_survey

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "numeric.csv"
        make_csv(path, args.rows, args.items)
        t0 = time.perf_counter()
        survey, inferred = load_survey(path)
        t1 = time.perf_counter()
        results = suppress(analyse(survey, by=["sector", "role"]), min_group=10)
        t2 = time.perf_counter()
        render_json(results)
        render_html(results)
        t3 = time.perf_counter()
        frame = pd.read_csv(path)
        q = frame["q07"].dropna()
        expected = 100 * (q >= 4).mean()
        got = results.item("q07").overall.pct_positive
        assert abs(got - expected) < 1e-9, (got, expected)
        health = frame.loc[frame["sector"] == "Health", "q07"].dropna()
        g = next(g for g in results.item("q07").by["sector"].groups if g.group == "Health")
        assert abs(g.figures.pct_positive - 100 * (health >= 4).mean()) < 1e-9
        assert len(results.items) == args.items
    print(f"{args.rows:,} rows x {args.items} items, 2 breakdowns, no codebook")
    print("  " + "\n  ".join(inferred[:2]))
    print(f"read + infer codebook + code answers: {t1 - t0:6.2f} s")
    print(f"analyse + suppress:                   {t2 - t1:6.2f} s")
    print(f"render JSON + HTML:                   {t3 - t2:6.2f} s")
    print(f"total:                                {t3 - t0:6.2f} s  (figures checked against pandas)")


if __name__ == "__main__":
    main()
