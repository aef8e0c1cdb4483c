"""Suppression across nested breakdowns (sites within sectors)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from surveykit import Survey, analyse, suppress
from surveykit.analysis.disclosure import protect_family
from surveykit.analysis.results import Nesting
from surveykit.codebook import parse_codebook

SITES = {"A1": ("A", 40), "A2": ("A", 30), "A3": ("A", 4), "B1": ("B", 50), "B2": ("B", 40),
         "H1": ("H", 12)}


def _survey():
    rows = []
    rng = np.random.default_rng(3)
    for site, (sector, n) in SITES.items():
        rows += [(sector, site, a) for a in rng.choice(["Yes", "No"], n)]
    frame = pd.DataFrame(rows, columns=["sector", "site", "q"])
    cb = parse_codebook({
        "scales": {"yn": {"labels": ["No", "Yes"]}},
        "items": [{"id": "q", "scale": "yn"}],
        "breakdowns": [{"id": "sector", "groups": ["A", "B", "H"]},
                       {"id": "site", "groups": list(SITES)}]})
    return Survey.from_frame(frame, cb)


def test_nesting_is_detected():
    results = analyse(_survey())
    assert [(x.child, x.parent) for x in results.nesting] == [("site", "sector")]
    assert results.nesting[0].parent_of == (0, 0, 0, 1, 1, 2)


def test_parent_minus_shown_children_reveals_nothing():
    results = suppress(analyse(_survey()), min_group=10)
    sites = {g.group: g.suppressed for g in results.item("q").by["site"].groups}
    sectors = {g.group: g.suppressed for g in results.item("q").by["sector"].groups}
    assert sites["A3"]                     # 4 people: primary
    assert sites["A2"]                     # sector A minus A1 and A2 would give A3 away
    assert sites["H1"]                     # hidden as cover for A3 in the site total...
    assert sectors["H"]                    # ...so sector H (= site H1) must go too,
    assert sum(sectors.values()) >= 2      # and then another sector to cover H
    assert not sites["A1"] and not sites["B1"] and not sites["B2"]
    summary = {g.group: g.suppressed for g in results.breakdowns[1].groups}
    assert summary == sites


def _lines_covered(sizes, states, unshown, nesting, k):
    lines = [(sizes[b], states[b], unshown[b]) for b in sizes]
    for nest in nesting:
        parent_of = np.array(nest.parent_of)
        for a in range(len(sizes[nest.parent])):
            if states[nest.parent][a]:
                continue
            members = parent_of == a
            inside = sizes[nest.parent][a] - sizes[nest.child][members].sum()
            lines.append((sizes[nest.child][members], states[nest.child][members], inside))
    for line, state, extra in lines:
        hidden = line[(state > 0) & (line > 0)]
        members = len(hidden) + (extra > 0)
        visible = line[(state == 0) & (line > 0)]
        if members and len(visible):
            assert members >= 2 and hidden.sum() + extra >= k


@given(st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=4), min_size=1, max_size=5),
       st.integers(2, 12))
@settings(max_examples=300, deadline=None)
def test_every_line_is_covered_whatever_the_sizes(tree, k):
    """Random sectors of random sites: after protection, every subtraction line (sites
    overall, sectors overall, the sites of each shown sector) hides nobody, or at least two
    groups and k people; and every group of 1..k-1 is hidden."""
    site_sizes = np.array([n for sector in tree for n in sector], dtype=float)
    parent_of = tuple(i for i, sector in enumerate(tree) for _ in sector)
    sector_sizes = np.array([sum(s) for s in tree], dtype=float)
    sizes = {"sector": sector_sizes, "site": site_sizes}
    unshown = {"sector": 0.0, "site": 0.0}
    nesting = (Nesting(child="site", parent="sector", parent_of=parent_of),)
    states = protect_family(sizes, unshown, nesting, k)
    for b in sizes:
        small = (sizes[b] > 0) & (sizes[b] < k)
        assert np.all(states[b][small] > 0)
    _lines_covered(sizes, states, unshown, nesting, k)
