"""Population headcounts (staff numbers by group), for raking and the finite population
correction.

A small CSV in long form, one row per group::

    breakdown,group,headcount
    sector,Health,5200
    sector,Housing,1900
    role,Frontline practitioner,6100
    ...

Every breakdown listed must add up to the same workforce total.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from surveykit.errors import InputError
from surveykit.model import Population, PopulationRow


def read_population(path: str | Path) -> Population:
    """Read and check a headcount file.

    Raises
    ------
    InputError
        Missing file, missing columns, a headcount that is not a positive number, a group
        listed twice, or breakdowns whose totals disagree — naming the file and row.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("population file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"not a readable headcount table ({' '.join(str(exc).split())})",
                         path=str(path)) from None
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = {"breakdown", "group", "headcount"} - set(frame.columns)
    if missing:
        raise InputError(f"needs columns breakdown, group, headcount (missing: "
                         f"{', '.join(sorted(missing))})", path=str(path))
    rows, seen = [], set()
    for i, rec in enumerate(frame.itertuples(index=False), start=2):
        breakdown, group = str(rec.breakdown).strip(), str(rec.group).strip()
        try:
            headcount = float(str(rec.headcount).replace(",", ""))
        except ValueError:
            headcount = -1.0
        if not breakdown or not group:
            raise InputError("breakdown and group must not be empty", path=str(path), row=i)
        if not headcount > 0:
            raise InputError(f"headcount {rec.headcount!r} is not a positive number",
                             path=str(path), row=i, column="headcount")
        key = (breakdown.casefold(), " ".join(group.split()).casefold())
        if key in seen:
            raise InputError(f"{breakdown} group {group!r} is listed twice", path=str(path),
                             row=i)
        seen.add(key)
        rows.append(PopulationRow(row=i, breakdown=breakdown, group=group, headcount=headcount))
    if not rows:
        raise InputError("the headcount table is empty", path=str(path))
    population = Population(source=str(path), rows=tuple(rows))
    totals = {b: sum(r.headcount for r in rows if r.breakdown == b)
              for b in population.breakdowns}
    first, total = next(iter(totals.items()))
    for b, t in totals.items():
        if abs(t - total) > 1e-9 * total:
            raise InputError(f"headcounts by {b} add up to {t:,.0f} but by {first} to "
                             f"{total:,.0f}; every breakdown must cover the same workforce",
                             path=str(path))
    return population
