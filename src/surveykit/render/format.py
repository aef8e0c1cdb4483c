"""Rounding and number formatting: one place, shared by every output.

The paper, the tab book and the CSV round the same way because they all call these.
"""

from __future__ import annotations

import math

SUPPRESSED = "*"  # shown wherever a figure is withheld; the paper's key explains it


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_pct(x: float | None, decimals: int = 0) -> str:
    """``41.6 -> "42%"``; withheld or undefined -> an en dash."""
    if _missing(x):
        return "–"
    return f"{round_half_up(x, decimals):.{decimals}f}%"


def fmt_num(x: float | None, decimals: int = 2) -> str:
    """A statistic (mean, chi-square) to ``decimals`` places."""
    if _missing(x):
        return "–"
    return f"{round_half_up(x, decimals):.{decimals}f}"


def fmt_n(x: float | None) -> str:
    """A count with thousands separators: ``1187 -> "1,187"``."""
    if _missing(x):
        return "–"
    return f"{int(round(x)):,}"


def fmt_p(p: float | None) -> str:
    """APA-style p-value: ``"<.001"``, ``".032"``, ``".41"``."""
    if _missing(p):
        return "–"
    if p < 0.001:
        return "<.001"
    if p < 0.01:
        return f"{p:.3f}".lstrip("0")
    return f"{round_half_up(p, 2):.2f}".lstrip("0")


def fmt_points(x: float | None) -> str:
    """A difference in percentage points with its sign: ``"+12 points"``."""
    if _missing(x):
        return "–"
    r = round_half_up(x, 0)
    return f"{'+' if r > 0 else '−' if r < 0 else '±'}{abs(r):.0f} points"


def round_half_up(x: float, decimals: int = 0) -> float:
    """Round halves away from zero, as readers and Excel expect (Python rounds to even).

    A tiny tolerance absorbs binary representation error: 2.675 is stored as
    2.67499999..., yet a reader who sees 2.675 expects 2.68.
    """
    factor = 10.0 ** decimals
    scaled = abs(x) * factor
    return math.copysign(math.floor(scaled + 0.5 + 1e-9), x) / factor


def answer_base(figures) -> float:
    """What an answer's share is a share of: the (weighted) total of the answers in the base.

    Unweighted this is ``n``; weighted, ``counts`` are sums of weights, so shares must be
    of their total (the weighted base), never of the unweighted ``n``.
    """
    if figures.weighted_n is not None:
        return float(figures.weighted_n)
    return float(figures.n)
