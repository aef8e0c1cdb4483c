"""Generate the bundled example survey (synthetic data, fixed seed).

The example is modelled on a 2006 Glasgow partnership survey of about 1,200 staff in
health, housing, social care, employment, training and education services, which asked
whether helping people into work is part of their job, whether they know where to refer
someone, and what gets in the way of joint working. No real responses are used: every
answer here comes from the latent ordinal model below, so the true group differences are
known and recorded in ``PLANTED`` (and ``planted.json``) for tests to check against.

Run from anywhere::

    python examples/glasgow/generate.py

It rewrites ``survey.xlsx``, ``codebook.yaml`` and ``planted.json`` next to this file, plus
``survey-2025.xlsx`` (the same partnership's previous wave, with the year-on-year changes in
``WAVE_CHANGES``) and ``headcounts.csv`` (staff numbers by sector and by role).
The output is deterministic: the same numpy version gives the same bytes.

The model
---------
For respondent ``i`` and item ``j``::

    latent = BASE[j] + sector_effect[j][sector_i] + role_effect[j][role_i]
             + SIGN[j] * TRAIT_WEIGHT * trait_i + Logistic(0, 1)

where ``trait_i ~ N(0, 1)`` is a respondent's general positivity (SIGN is -1 for the
negatively worded item, whose agreement runs against the trait). The latent is cut at
``THRESHOLDS`` into Strongly disagree .. Strongly agree. Effects are shifts on the latent
agreement with the statement *as worded* (positive = more agreement), in logit units.
Then, independently of everything else, each answer becomes "Don't know" with
probability ``DONT_KNOW[j]`` or is skipped (blank) with probability ``BLANK[j]``.
Items not in ``PLANTED`` have every sector and role effect exactly 0.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import yaml
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

HERE = Path(__file__).resolve().parent
SEED = 2006
TITLE = "Employability and joint working staff survey 2026"
FIXED_TIME = dt.datetime(2026, 10, 26, 9, 0, 0)  # workbook created/modified, zip entry times

SCALE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
         "Strongly agree"]
DONT_KNOW_LABEL = "Don't know"
THRESHOLDS = np.array([-2.0, -0.8, 0.4, 2.2])
TRAIT_WEIGHT = 0.6

SECTORS = ["Health", "Social care", "Housing", "Education", "Employment", "Training"]
ROLES = ["Frontline practitioner", "Team leader / manager", "Senior manager", "Admin / support"]

# Respondents per sector x role (rows: SECTORS, columns: ROLES). Fixed rather than sampled
# so the composition is exact: sector shares 35/22/15/12/9/7%, role shares 55/20/8/17%,
# roughly independent (so a sector effect does not leak into a role test), and exactly one
# cell under 10 -- Training x Senior manager -- for the anonymity rule to suppress.
CELL_COUNTS = np.array([
    # Frontline, Team leader, Senior mgr, Admin
    [232, 82, 30, 72],   # Health       416
    [146, 52, 19, 44],   # Social care  261
    [96, 36, 15, 31],    # Housing      178
    [77, 29, 12, 24],    # Education    142
    [57, 22, 11, 17],    # Employment   107
    [45, 17, 6, 15],     # Training      83
])
N = int(CELL_COUNTS.sum())
SMALL_CELL = {"sector": "Training", "role": "Senior manager",
              "n": int(CELL_COUNTS[SECTORS.index("Training"), ROLES.index("Senior manager")])}

# Ten respondents' Sector cells are written as a platform export or a hand-edited sheet
# might have them; the codebook's groups match them ignoring case and spacing.
SECTOR_VARIANTS = ["Social Care", "social care ", "SOCIAL CARE", "Social  care", "health",
                   "Health ", "housing", " Housing", "education", "EMPLOYMENT"]

# (id, column header = full question text, theme, base, P(don't know)). Order = column order.
ITEMS = [
    ("job_relevant", "Helping people into work is part of my job",
     "Employability and my job", 1.1, 0.03),
    ("someone_else", "Employability is someone else's job, not mine",
     "Employability and my job", -1.0, 0.04),
    ("confident_raise", "I feel confident talking about work with the people I support",
     "Employability and my job", 0.6, 0.04),
    ("work_health", "Good work is good for people's health and wellbeing",
     "Employability and my job", 2.2, 0.03),
    ("org_priority", "My organisation treats employability as a priority",
     "Employability and my job", 0.2, 0.07),
    ("know_refer", "I know where to refer someone for employment support",
     "Knowledge and referral", 0.5, 0.04),
    ("know_services", "I know what employment services are available in my area",
     "Knowledge and referral", 0.1, 0.05),
    ("referral_easy", "Making a referral to employment services is straightforward",
     "Knowledge and referral", -0.1, 0.08),
    ("know_benefits", "I understand how starting work would affect someone's benefits",
     "Knowledge and referral", -0.6, 0.06),
    ("hear_back", "I hear back about what happens to people I refer",
     "Knowledge and referral", -1.1, 0.07),
    ("had_training", "I have had training on employability",
     "Training and support", -0.7, 0.03),
    ("want_training", "I would like more training on employability",
     "Training and support", 1.0, 0.05),
    ("manager_support", "My manager supports me to spend time on employability",
     "Training and support", 0.0, 0.06),
    ("have_resources", "I have the information and resources I need to help people into work",
     "Training and support", -0.3, 0.05),
    ("joint_health", "Joint working with health services works well",
     "Joint working", 0.0, 0.07),
    ("joint_employment", "Joint working with employment services works well",
     "Joint working", -0.2, 0.08),
    ("joint_housing", "Joint working with housing services works well",
     "Joint working", -0.1, 0.07),
    ("joint_social_care", "Joint working with social care services works well",
     "Joint working", -0.3, 0.07),
    ("shared_goals", "Partner organisations share the same goals on employability",
     "Joint working", -0.4, 0.08),
    ("info_sharing", "Information about clients is shared well between services",
     "Joint working", -0.8, 0.06),
]
ITEM_IDS = [i[0] for i in ITEMS]
REVERSE = {"someone_else"}  # negatively worded: agreement is the unfavourable answer
# Skipped answers become a little more common further into the questionnaire (1% -> 3%).
BLANK = [round(0.01 + 0.02 * j / (len(ITEMS) - 1), 4) for j in range(len(ITEMS))]

# The true group differences: shifts on the latent agreement with the statement as worded,
# in logit units; groups not named, and every item not listed, have a shift of exactly 0.
# Sized so a chi-square test of the item by sector / role (substantive answers only) gives
# p < 0.001 for every planted pair in 150 of 150 simulated seeds; small groups (Senior
# manager, 93; Employment, 107) need the larger shifts.
PLANTED = {
    "job_relevant": {"sector": {"Housing": -1.4, "Employment": 1.2}, "role": {}},
    "someone_else": {"sector": {"Housing": 1.5}, "role": {}},
    "know_refer": {"sector": {"Employment": 1.8}, "role": {"Frontline practitioner": -1.0}},
    "had_training": {"sector": {"Employment": 1.6, "Training": 1.2}, "role": {}},
    "joint_health": {"sector": {"Health": 1.1}, "role": {"Senior manager": 1.9}},
    "joint_employment": {"sector": {}, "role": {"Senior manager": 2.0}},
}
NULL_ITEMS = [i for i in ITEM_IDS if i not in PLANTED]

# Tick-all-that-apply: baseline probability of ticking each option, among those who answer.
BARRIERS = {
    "Lack of time": 0.55,
    "Different priorities": 0.40,
    "Not knowing who to contact": 0.33,
    "Data sharing rules": 0.30,
    "Funding": 0.28,
    "Different IT systems": 0.20,
    "Other": 0.06,
}
BARRIERS_BLANK = 0.10
# Planted difference in the multi-response question: a logit shift in P(tick).
PLANTED_MULTI = {
    "barriers": {"Not knowing who to contact": {"sector": {},
                                                "role": {"Frontline practitioner": 0.9}}},
}

COMMENTS_ANSWERED = 0.30
COMMENTS = [
    "We get very little time to think about work when people are in crisis.",
    "Most of the people I see are a long way from being ready for a job.",
    "I didn't know there was an employability service in our area until last year.",
    "Referral forms are different for every service, which puts people off.",
    "Would welcome training on how benefits are affected by part-time work.",
    "Joint working depends on individuals - when someone moves on the link is lost.",
    "The Jobcentre and our team rarely speak to each other.",
    "Data sharing is the biggest barrier. We can't pass on information even with consent.",
    "Our clients often have health problems that have to come first.",
    "Good work is the best thing for mental health but there isn't enough of it.",
    "It would help to have a single named contact in each service.",
    "Short-term funding means projects close just as they start to work well.",
    "Employability should be part of everyone's induction.",
    "I'm admin so this doesn't really apply to me.",
    "Housing officers have enough on without adding employment to the list.",
    "We used to have a worker based in the office one day a week which was brilliant.",
    "Too many programmes with different eligibility rules - I can't keep up.",
    "More volunteering opportunities would be a good first step for many people.",
    "Managers say it is a priority but it never appears in our targets.",
    "Childcare is the main thing stopping the parents I work with from working.",
    "People worry about losing their benefits if a job doesn't work out.",
    "The college and the employability providers should plan courses together.",
    "A directory of local services, kept up to date, would make a huge difference.",
    "I have had some training but it was years ago.",
    "Partnership meetings are talking shops - nothing changes afterwards.",
    "We never find out what happened after we refer someone.",
    "Transport costs are a real barrier for people getting to interviews.",
    "The survey is a good idea - hope something comes of it.",
    "Employers need to be more flexible for people with health conditions.",
    "Young people leaving care need much more support into work.",
    "Our IT systems don't talk to each other so we enter the same information three times.",
    "Staff turnover in partner agencies makes it hard to build relationships.",
    "Would be good to shadow colleagues in employment services for a day.",
    "It is hard to raise work with someone who is homeless - housing has to come first.",
    "The health service sees employment as someone else's business.",
    "We do this well locally because the teams are co-located.",
    "Not sure this survey applies to my role.",
    "Literacy and numeracy support is needed before people can think about jobs.",
    "Please keep it simple - one referral route would do.",
    "Senior managers agree on partnership but frontline staff don't see it.",
    "Language barriers for refugees and asylum seekers are not addressed.",
    "In-work poverty means a job isn't always the answer.",
    "No",
    "n/a",
    "None",
    "Nothing to add.",
]
# A few comments carry contact details (fictional: example.org domains and Ofcom's
# drama-reserved 0141 496 0xxx and 07700 900xxx numbers), for redaction tests.
COMMENTS_WITH_CONTACTS = [
    "Happy to talk more about this - email me at j.mcallister@example.org",
    "Please contact me on 0141 496 0372 if you want examples of what works.",
    "We run a drop-in on Tuesdays, people can phone 07700 900418 to book a place.",
    "I would like to join the working group. My email is k.doyle@ggc.example.org",
    "Our team can help: employability.team@example.com or 0141 496 0815.",
    "Call me on 07700 900 127 - I manage the service and can explain the referral problems.",
]

# Fieldwork: Monday 5 to Friday 23 October 2026, reminders on the 12th and 19th.
FIELDWORK_START = dt.datetime(2026, 10, 5)
FIELDWORK_DAYS = 19
CLOSE_HOUR = 17  # the survey closed at 17:00 on the last day
# Relative chance of submitting in each hour of the day (working hours, a lunchtime dip).
HOUR_WEIGHTS = np.array([0, 0, 0, 0, 0, 0, 0.2, 0.6, 2.5, 5, 6, 5.5, 3, 4, 5.5, 5, 4, 2,
                         0.8, 0.7, 0.6, 0.4, 0.2, 0.1])


def _submission_times(rng: np.random.Generator, n: int,
                      start: dt.datetime = FIELDWORK_START) -> list[dt.datetime]:
    days = np.arange(FIELDWORK_DAYS)
    weight = np.zeros(FIELDWORK_DAYS)
    for push, size in ((0, 1.0), (7, 0.6), (14, 0.45)):  # launch and two reminders
        later = days >= push
        weight[later] += size * np.exp(-0.45 * (days[later] - push))
    weekday = np.array([(start + dt.timedelta(days=int(d))).weekday() for d in days])
    weight[weekday >= 5] *= 0.08
    weight[-1] *= 1.6  # last-day rush
    day = rng.choice(days, size=n, p=weight / weight.sum())
    hour = rng.choice(24, size=n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    early = HOUR_WEIGHTS[:CLOSE_HOUR]
    last = day == FIELDWORK_DAYS - 1
    hour[last] = rng.choice(CLOSE_HOUR, size=int(last.sum()), p=early / early.sum())
    second = rng.integers(0, 3600, size=n)
    return [start + dt.timedelta(days=int(d), hours=int(h), seconds=int(s))
            for d, h, s in zip(day, hour, second)]


def _effects(kind: str, groups: list[str]) -> np.ndarray:
    """(items, groups) matrix of planted shifts; zero everywhere not in PLANTED."""
    out = np.zeros((len(ITEMS), len(groups)))
    for item_id, spec in PLANTED.items():
        for group, shift in spec[kind].items():
            out[ITEM_IDS.index(item_id), groups.index(group)] = shift
    return out


def generate(seed: int = SEED, *, shifts: dict[str, float] | None = None,
             start: dt.datetime = FIELDWORK_START) -> dict:
    """Simulate the survey; return its columns (header -> list of cell values).

    ``shifts`` moves items' bases (latent units) and ``start`` the fieldwork, to make
    another wave; the default is this year's survey.
    """
    rng = np.random.default_rng(seed)

    # Who answered: exact sector x role composition, in random submission order.
    sector = np.repeat(np.repeat(np.arange(len(SECTORS)), len(ROLES)), CELL_COUNTS.ravel())
    role = np.repeat(np.tile(np.arange(len(ROLES)), len(SECTORS)), CELL_COUNTS.ravel())
    order = rng.permutation(N)
    sector, role = sector[order], role[order]
    submitted = sorted(_submission_times(rng, N, start))

    # Likert answers from the latent ordinal model.
    trait = rng.standard_normal(N)
    base = np.array([i[3] + (shifts or {}).get(i[0], 0.0) for i in ITEMS])
    sign = np.array([-1.0 if i[0] in REVERSE else 1.0 for i in ITEMS])
    latent = (base[None, :]
              + _effects("sector", SECTORS)[:, sector].T
              + _effects("role", ROLES)[:, role].T
              + TRAIT_WEIGHT * trait[:, None] * sign[None, :]
              + rng.logistic(size=(N, len(ITEMS))))
    category = np.searchsorted(THRESHOLDS, latent)  # 0..4
    u = rng.random((N, len(ITEMS)))
    p_dont_know = np.array([i[4] for i in ITEMS])
    dont_know = u < p_dont_know
    blank = ~dont_know & (u < p_dont_know + np.array(BLANK))
    labels = np.array(SCALE + [DONT_KNOW_LABEL, None], dtype=object)
    category[dont_know] = len(SCALE)
    category[blank] = len(SCALE) + 1
    answers = labels[category]

    # Barriers to joint working (one column, ticked options joined by "; ").
    options = list(BARRIERS)
    base_p = np.array(list(BARRIERS.values()))
    logit = np.repeat(np.log(base_p / (1 - base_p))[None, :], N, axis=0)
    for option, spec in PLANTED_MULTI["barriers"].items():
        j = options.index(option)
        for group, shift in spec["sector"].items():
            logit[sector == SECTORS.index(group), j] += shift
        for group, shift in spec["role"].items():
            logit[role == ROLES.index(group), j] += shift
    ticks = rng.random((N, len(options))) < 1 / (1 + np.exp(-logit))
    none_ticked = np.flatnonzero(~ticks.any(axis=1))  # an answer ticks at least one option
    ticks[none_ticked, rng.choice(len(options), size=len(none_ticked),
                                  p=base_p / base_p.sum())] = True
    skipped = rng.random(N) < BARRIERS_BLANK
    barriers = [None if skip else "; ".join(o for o, t in zip(options, row) if t)
                for skip, row in zip(skipped, ticks)]

    # Free-text comments; a few with contact details.
    commented = np.flatnonzero(rng.random(N) < COMMENTS_ANSWERED)
    comments: list[str | None] = [None] * N
    for i, k in zip(commented, rng.integers(0, len(COMMENTS), size=len(commented))):
        comments[i] = COMMENTS[k]
    for i, text in zip(rng.choice(commented, size=len(COMMENTS_WITH_CONTACTS), replace=False),
                       COMMENTS_WITH_CONTACTS):
        comments[i] = text

    # Spelling variants in the Sector column.
    sector_text = [SECTORS[s] for s in sector]
    for variant in SECTOR_VARIANTS:
        group = SECTORS.index(" ".join(variant.split()).capitalize())
        rows = [i for i in np.flatnonzero(sector == group) if sector_text[i] == SECTORS[group]]
        sector_text[rows[int(rng.integers(len(rows)))]] = variant

    columns = {
        "Respondent ID": [f"R{i + 1:04d}" for i in range(N)],
        "Submitted": submitted,
        "Sector": sector_text,
        "Role": [ROLES[r] for r in role],
    }
    for j, item in enumerate(ITEMS):
        columns[item[1]] = list(answers[:, j])
    columns["Barriers to joint working"] = barriers
    columns["Any other comments?"] = comments
    return columns


def write_xlsx(columns: dict, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    headers = list(columns)
    ws.append(headers)
    for row in zip(*columns.values()):
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for cell in ws["B"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    ws.freeze_panes = "B2"
    for j, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(len(header) * 0.9, 12), 40)
    wb.properties.creator = "surveykit example generator"
    wb.properties.lastModifiedBy = "surveykit example generator"
    wb.properties.title = TITLE
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    # openpyxl stamps the save time into docProps/core.xml and the zip entries; pin both so
    # regenerating gives identical bytes.
    wb.properties.modified = FIXED_TIME
    core = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def _scalar(text: str, flow: bool = False) -> str:
    """YAML for a string: plain when that reads back unchanged, else double-quoted."""
    risky = set(",[]{}") if flow else set()
    if (text and text == text.strip() and not (set(text) & risky) and ": " not in text
            and " #" not in text and text[0] not in "!&*|>'\"%@`#?:-"
            and yaml.safe_load(text) == text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_scalar(v, flow=True) for v in values) + "]"


# Composite indices (0-100), like the Civil Service engagement index: the mean of each
# respondent's scored answers to these items.
INDICES = {
    "joint_working_index": ("Joint working index", ["joint_health", "joint_employment",
                                                    "joint_housing", "joint_social_care",
                                                    "shared_goals", "info_sharing"]),
    "referral_index": ("Knowledge and referral index", ["know_refer", "know_services",
                                                        "referral_easy", "know_benefits",
                                                        "hear_back"]),
}


# The previous wave (October 2025): same questions, same composition, another seed. Its
# item bases differ by these latent shifts from this year's, so comparing 2025 with 2026
# shows known real changes: staff know better where to refer someone (the 2025 base was
# lower) and fewer report having had training (it was higher); every other item has no
# change at all, so any other "significant" change would be a false one.
PREVIOUS_WAVE = {"file": "survey-2025.xlsx", "seed": 2005, "year_shift_days": -364}
WAVE_CHANGES = {"know_refer": -0.9, "had_training": 0.8}  # 2025 base minus 2026 base

# Staff in post by sector and by role (the partnership's HR figures, invented), for
# --population: raking to them, the finite population correction and response rates.
HEADCOUNTS = {
    "sector": {"Health": 2600, "Social care": 1450, "Housing": 620, "Education": 1100,
               "Employment": 240, "Training": 190},
    "role": {"Frontline practitioner": 4100, "Team leader / manager": 1000,
             "Senior manager": 300, "Admin / support": 800},
}


def codebook_text() -> str:
    lines = [
        "# Codebook for survey.xlsx: what each column means. Written by generate.py;",
        "# edit generate.py and rerun it rather than editing this file.",
        f"title: {_scalar(TITLE)}",
        "id: Respondent ID",
        "scales:",
        "  agree5:",
        f"    labels: {_flow(SCALE)}   # most negative first",
        f"    positive: {_flow(SCALE[3:])}",
        f"    neutral: {_flow(SCALE[2:3])}",
        f"    negative: {_flow(SCALE[:2])}",
        f"    not_applicable: {_flow([DONT_KNOW_LABEL])}",
        "items:",
    ]
    for item_id, column, theme, _base, _dk in ITEMS:
        lines += [
            f"  - id: {item_id}",
            f"    column: {_scalar(column)}",
            f"    label: {_scalar(column)}",
            "    scale: agree5",
            f"    theme: {_scalar(theme)}",
        ]
        if item_id in REVERSE:
            lines.append("    reverse: true    # negatively worded: agreeing is unfavourable")
    lines += [
        "multi:",
        "  - id: barriers",
        "    label: What gets in the way of joint working?",
        "    column: Barriers to joint working",
        '    separator: ";"',
        f"    options: {_flow(list(BARRIERS))}",
        "text:",
        "  - id: comments",
        "    column: Any other comments?",
        "    label: Any other comments?",
        "breakdowns:",
        "  - id: sector",
        "    column: Sector",
        "    label: Sector",
        f"    groups: {_flow(SECTORS)}",
        "  - id: role",
        "    column: Role",
        "    label: Role",
        f"    groups: {_flow(ROLES)}",
        "drop: [Submitted]   # submission timestamp: kept in the export, not analysed",
        "indices:",
        *[line for index_id, (label, members) in INDICES.items() for line in (
            f"  - id: {index_id}",
            f"    label: {label}",
            f"    items: {_flow(members)}",
        )],
    ]
    text = "\n".join(lines) + "\n"
    _check_codebook(yaml.safe_load(text))
    return text


def _check_codebook(raw: dict) -> None:
    """The hand-written YAML must read back as intended."""
    assert raw["scales"]["agree5"]["labels"] == SCALE
    assert raw["scales"]["agree5"]["not_applicable"] == [DONT_KNOW_LABEL]
    assert [(i["id"], i["column"], i["label"], i["theme"]) for i in raw["items"]] == [
        (i[0], i[1], i[1], i[2]) for i in ITEMS]
    assert [i["id"] for i in raw["items"] if i.get("reverse")] == sorted(REVERSE)
    assert raw["multi"][0]["options"] == list(BARRIERS)
    assert raw["multi"][0]["separator"] == ";"
    assert raw["breakdowns"][0]["groups"] == SECTORS
    assert raw["breakdowns"][1]["groups"] == ROLES


def planted_json(columns: dict) -> str:
    variants: dict[str, int] = {}
    for text in columns["Sector"]:
        if text not in SECTORS:
            variants[text] = variants.get(text, 0) + 1
    payload = {
        "seed": SEED,
        "respondents": N,
        "effects": PLANTED,
        "null_items": NULL_ITEMS,
        "small_cell": SMALL_CELL,
        "reverse_items": sorted(REVERSE),
        "multi_effects": PLANTED_MULTI,
        "previous_wave": {"file": PREVIOUS_WAVE["file"], "seed": PREVIOUS_WAVE["seed"],
                          "base_shifts": WAVE_CHANGES,
                          "changed_items": sorted(WAVE_CHANGES),
                          "unchanged_items": [i for i in ITEM_IDS if i not in WAVE_CHANGES]},
        "sector_spelling_variants": dict(sorted(variants.items())),
        "model": {
            "scale": "shifts are on the latent agreement with the statement as worded "
                     "(positive = more agreement), logit units; unnamed groups shift 0",
            "thresholds": THRESHOLDS.tolist(),
            "trait_weight": TRAIT_WEIGHT,
            "item_base": {i[0]: i[3] for i in ITEMS},
            "dont_know": {i[0]: i[4] for i in ITEMS},
            "blank": dict(zip(ITEM_IDS, BLANK)),
        },
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def headcounts_csv() -> str:
    rows = ["breakdown,group,headcount"]
    rows += [f"{b},{g},{n}" for b, groups in HEADCOUNTS.items() for g, n in groups.items()]
    return "\n".join(rows) + "\n"


def main() -> None:
    columns = generate(SEED)
    write_xlsx(columns, HERE / "survey.xlsx")
    start = FIELDWORK_START + dt.timedelta(days=PREVIOUS_WAVE["year_shift_days"])
    write_xlsx(generate(PREVIOUS_WAVE["seed"], shifts=WAVE_CHANGES, start=start),
               HERE / PREVIOUS_WAVE["file"])
    (HERE / "headcounts.csv").write_text(headcounts_csv(), encoding="utf-8")
    (HERE / "codebook.yaml").write_text(codebook_text(), encoding="utf-8")
    (HERE / "planted.json").write_text(planted_json(columns), encoding="utf-8")
    print(f"wrote {N} respondents to {HERE / 'survey.xlsx'}, codebook.yaml, planted.json, "
          f"{PREVIOUS_WAVE['file']}, headcounts.csv")


if __name__ == "__main__":
    main()
