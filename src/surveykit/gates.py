"""Optional CI gates (``--fail-on``): conditions that make a successful run exit non-zero.

The outputs are still written, so a failing pipeline still publishes the paper that shows
why it failed. Rules:

``suppressed``  any breakdown group was withheld for being below the threshold;
``warnings``    the run or ``surveykit validate``'s checks produced any warning (e.g. a group
                not in the codebook, straight-lining respondents);
``worse``       any item is significantly worse than in the previous wave.
"""

from __future__ import annotations

from collections.abc import Sequence

from surveykit.analysis.results import SurveyResults
from surveykit.analysis.waves import WaveComparison

GATE_EXIT_CODE = 3


def check_gates(rules: Sequence[str], results: SurveyResults,
                comparison: WaveComparison | None = None,
                validation: Sequence[str] = ()) -> list[str]:
    """Return one message per rule that trips (empty when the run passes).

    ``validation`` holds the one-line problems :func:`surveykit.validate.validate_survey`
    found, for the ``warnings`` rule.
    """
    failed = []
    if "suppressed" in rules:
        hidden = [f"{b.label}: {g.group}" for b in results.breakdowns for g in b.groups
                  if g.suppressed]
        if hidden:
            failed.append(f"{len(hidden)} group(s) below the threshold of "
                          f"{results.settings.min_group}: {', '.join(hidden)}")
    if "warnings" in rules:
        found = list(results.warnings) + [v for v in validation if v not in results.warnings]
        if found:
            failed.append(f"{len(found)} warning(s), the first: {found[0]}")
    if "worse" in rules:
        if comparison is None:
            failed.append("--fail-on worse needs a previous wave (--previous)")
        else:
            worse = [c.item for c in comparison.changes
                     if c.label == "worse" and c.breakdown == "(overall)"]
            if worse:
                failed.append(f"{len(worse)} item(s) significantly worse than "
                              f"{comparison.waves[-2]}: {', '.join(worse)}")
    return failed
