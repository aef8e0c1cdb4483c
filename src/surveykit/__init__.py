"""surveykit: staff attitude survey exports in, an honest briefing paper out.

The pipeline runs one way::

    read_survey(path, codebook=...)  -> Survey
    analyse(survey, by=..., ...)      -> SurveyResults   (pure, unrounded)
    suppress(results, min_group=10)   -> SurveyResults   (anonymity applied)
    render_html / render_json ...     -> files
"""

from __future__ import annotations

__version__ = "0.1.0"

from surveykit.errors import CodebookError, InputError, SurveykitError  # noqa: E402
from surveykit.model import Breakdown, Codebook, Item, MultiResponse, Scale, TextQuestion  # noqa: E402
from surveykit.survey import Survey  # noqa: E402
from surveykit.codebook import infer_codebook, load_codebook, dump_codebook  # noqa: E402
from surveykit.ingest import read_survey, read_table  # noqa: E402
from surveykit.analysis import analyse, suppress  # noqa: E402

__all__ = [
    "__version__",
    "Breakdown",
    "Codebook",
    "CodebookError",
    "InputError",
    "Item",
    "MultiResponse",
    "Scale",
    "Survey",
    "SurveykitError",
    "TextQuestion",
    "analyse",
    "dump_codebook",
    "infer_codebook",
    "load_codebook",
    "read_survey",
    "read_table",
    "suppress",
]
