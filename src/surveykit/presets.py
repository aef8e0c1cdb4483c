"""Answer scales that staff surveys use, recognised when inferring a codebook.

Each preset lists its labels from most negative to most positive, the not-applicable answers
it commonly comes with, and spelling variants seen in real exports (LimeSurvey's "Neither
agree or disagree", SurveyMonkey's "Strongly Agree").
"""

from __future__ import annotations

import re

from surveykit.model import Scale

NOT_APPLICABLE = ("Don't know", "Not applicable", "N/A", "No basis to judge", "Prefer not to say",
                  "Can't say", "Not sure", "Unsure", "NA", "Does not apply")

#: Answers that take a respondent out of an item's base, by pattern: "Unfamiliar (N/A)",
#: "Not applicable to me", "I don't know", "Prefer not to answer", "No opinion".
NOT_APPLICABLE_PATTERN = re.compile(
    r"(^|\W)(n/?a|not applicable|does ?n[o']t apply|do ?n[o']t know|dont know|not sure|"
    r"unsure|no opinion|prefer not|rather not|can ?n?[o']?t say|no basis|unfamiliar|"
    r"not relevant|no answer|refused|declined?( to answer)?|not eligible|"
    r"not currently aware)(\W|$)", re.IGNORECASE)


def _scale(name, labels, positive, neutral, negative, aliases=()) -> Scale:
    return Scale(
        name=name,
        labels=tuple(labels),
        positive=tuple(positive),
        neutral=tuple(neutral),
        negative=tuple(negative),
        aliases=tuple(aliases),
    )


_NEITHER = "Neither agree nor disagree"
_NEITHER_ALIASES = (
    ("Neither agree or disagree", _NEITHER),
    ("Neither", _NEITHER),
    ("Neutral", _NEITHER),
    ("Neither disagree nor agree", _NEITHER),
    ("Agree strongly", "Strongly agree"),
    ("Disagree strongly", "Strongly disagree"),
    ("Somewhat agree", "Agree"),
    ("Somewhat disagree", "Disagree"),
)

AGREE5 = _scale(
    "agree5",
    ["Strongly disagree", "Disagree", _NEITHER, "Agree", "Strongly agree"],
    ["Agree", "Strongly agree"], [_NEITHER], ["Strongly disagree", "Disagree"],
    _NEITHER_ALIASES,
)
AGREE4 = _scale(
    "agree4",
    ["Strongly disagree", "Disagree", "Agree", "Strongly agree"],
    ["Agree", "Strongly agree"], [], ["Strongly disagree", "Disagree"],
    _NEITHER_ALIASES[4:],
)
AGREE7 = _scale(
    "agree7",
    ["Strongly disagree", "Disagree", "Somewhat disagree", _NEITHER, "Somewhat agree", "Agree",
     "Strongly agree"],
    ["Somewhat agree", "Agree", "Strongly agree"], [_NEITHER],
    ["Strongly disagree", "Disagree", "Somewhat disagree"],
    _NEITHER_ALIASES[:4],
)
SATISFIED5 = _scale(
    "satisfied5",
    ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied",
     "Very satisfied"],
    ["Satisfied", "Very satisfied"], ["Neither satisfied nor dissatisfied"],
    ["Very dissatisfied", "Dissatisfied"],
    (("Neither satisfied or dissatisfied", "Neither satisfied nor dissatisfied"),),
)
LIKELY5 = _scale(
    "likely5",
    ["Very unlikely", "Unlikely", "Neither likely nor unlikely", "Likely", "Very likely"],
    ["Likely", "Very likely"], ["Neither likely nor unlikely"], ["Very unlikely", "Unlikely"],
    (("Neither likely or unlikely", "Neither likely nor unlikely"),),
)
FAVOURABLE5 = _scale(
    "favourable5",
    ["Very unfavorably", "Somewhat unfavorably", "Neither favorably nor unfavorably",
     "Somewhat favorably", "Very favorably"],
    ["Somewhat favorably", "Very favorably"], ["Neither favorably nor unfavorably"],
    ["Very unfavorably", "Somewhat unfavorably"],
    (
        ("Neither favorably nor unfavorably (neutral)", "Neither favorably nor unfavorably"),
        ("Very favourably", "Very favorably"), ("Somewhat favourably", "Somewhat favorably"),
        ("Very unfavourably", "Very unfavorably"),
        ("Somewhat unfavourably", "Somewhat unfavorably"),
    ),
)
FREQUENCY5 = _scale(
    "frequency5",
    ["Never", "Rarely", "Sometimes", "Often", "Always"],
    ["Often", "Always"], ["Sometimes"], ["Never", "Rarely"],
    (("Seldom", "Rarely"),),
)
EXTENT5 = _scale(
    "extent5",
    ["Not at all", "To a small extent", "To a moderate extent", "To a large extent",
     "To a very large extent"],
    ["To a large extent", "To a very large extent"], ["To a moderate extent"],
    ["Not at all", "To a small extent"],
)

YESNO = _scale("yesno", ["No", "Yes"], ["Yes"], [], ["No"])
YESNO3 = _scale("yesno3", ["No", "Maybe", "Yes"], ["Yes"], ["Maybe"], ["No"],
                (("Sometimes", "Maybe"), ("Partly", "Maybe")))

TEXT_PRESETS: tuple[Scale, ...] = (
    AGREE5, AGREE4, AGREE7, SATISFIED5, LIKELY5, FAVOURABLE5, FREQUENCY5, EXTENT5, YESNO,
    YESNO3,
)


def numeric_scale(k: int, low: int = 1) -> Scale:
    """A k-point numeric scale ``low..low+k-1``, higher = more positive.

    Points above the middle are positive and points below it negative (the top two of five,
    as the CSPS scores 5-point items); an odd scale's exact middle is neutral, and an even
    scale (4 or 6 points, like iMatter's) has no neutral.
    """
    values = list(range(low, low + k))
    labels = tuple(str(v) for v in values)
    half = k // 2
    negative = labels[:half]
    positive = labels[k - half:]
    neutral = labels[half : k - half]
    return Scale(
        name=f"numeric{low}to{low + k - 1}",
        labels=labels,
        positive=positive,
        neutral=neutral,
        negative=negative,
        codes=tuple(float(v) for v in values),
    )
