"""Benchmark: read a 100,000-respondent x 65-column workbook.

Writes the workbook once (openpyxl write-only mode, into the system temp folder, reused on
later runs) and times :func:`surveykit.read_table` (python-calamine) against
``pandas.read_excel(engine="openpyxl")``. The target is a ratio of at least 5x.

Run from the repository root::

    PYTHONPATH=src python benchmarks/read_xlsx.py [--rows 100000] [--rebuild]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
TEAMS = [f"Team {c}" for c in "ABCDEFGHIJKL"]
ROLES = ["Nurse", "Social worker", "Admin", "Manager", "Doctor", "Support worker"]
SITES = ["Glasgow", "Paisley", "Clydebank", "Renfrew"]
N_TEXT_ITEMS = 50
N_NUMERIC_ITEMS = 10


def build(path: Path, rows: int, seed: int = 1) -> None:
    """Write ``rows`` respondents: id, 4 breakdowns, 50 text Likert items, 10 0-10 items."""
    from openpyxl import Workbook

    rng = np.random.default_rng(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Responses")
    ws.append(["Staff survey 2024 - all responses"])  # a title row, as exports often have
    header = (["Respondent ID", "Team", "Role", "Site", "Grade"]
              + [f"Q{i + 1}. Statement {i + 1}" for i in range(N_TEXT_ITEMS)]
              + [f"N{i + 1}. Rating {i + 1} (0-10)" for i in range(N_NUMERIC_ITEMS)])
    ws.append(header)
    likert = rng.integers(0, 5, size=(rows, N_TEXT_ITEMS))
    numeric = rng.integers(0, 11, size=(rows, N_NUMERIC_ITEMS))
    team = rng.integers(0, len(TEAMS), rows)
    role = rng.integers(0, len(ROLES), rows)
    site = rng.integers(0, len(SITES), rows)
    grade = rng.integers(1, 9, rows)
    for r in range(rows):
        ws.append([r + 1, TEAMS[team[r]], ROLES[role[r]], SITES[site[r]], f"Band {grade[r]}"]
                  + [AGREE[v] for v in likert[r]] + numeric[r].tolist())
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true", help="write the workbook again")
    parser.add_argument("--skip-openpyxl", action="store_true",
                        help="time surveykit only (pandas + openpyxl takes minutes)")
    args = parser.parse_args()

    folder = Path(tempfile.gettempdir()) / "surveykit-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"survey_{args.rows}x65.xlsx"
    if args.rebuild or not path.exists():
        t0 = time.perf_counter()
        build(path, args.rows)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - t0:.1f} s")

    from surveykit.ingest import read_table

    t0 = time.perf_counter()
    table = read_table(path)
    t_sk = time.perf_counter() - t0
    print(f"surveykit.read_table : {t_sk:7.2f} s  ({table.frame.shape[0]:,} x "
          f"{table.frame.shape[1]}, header found at row {table.first_data_row - 1})")
    if args.skip_openpyxl:
        return

    import pandas as pd

    t0 = time.perf_counter()
    frame = pd.read_excel(path, engine="openpyxl", header=1)
    t_pd = time.perf_counter() - t0
    print(f"pandas.read_excel    : {t_pd:7.2f} s  ({frame.shape[0]:,} x {frame.shape[1]})")
    print(f"ratio                : {t_pd / t_sk:7.1f}x  (target >= 5x)")


if __name__ == "__main__":
    main()
