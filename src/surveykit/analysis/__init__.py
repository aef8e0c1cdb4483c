"""Pure analysis: counting, tests, corrections, suppression, headline findings.

No I/O and no rounding here; results are frozen records with ``to_dict()`` and
``to_frame()``.
"""

from __future__ import annotations

from surveykit.analysis.analyse import analyse
from surveykit.analysis.disclosure import suppress
from surveykit.analysis.findings import headline_findings
from surveykit.analysis.results import SurveyResults

__all__ = ["analyse", "suppress", "headline_findings", "SurveyResults"]
