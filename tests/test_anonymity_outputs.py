"""Anonymity end to end: no output reveals a group below the threshold, directly or by
subtraction.

The attacker is a curious manager holding every file surveykit writes (results.json,
results.csv, tables.xlsx, briefing.html, briefing.pdf) and nothing else. Two kinds of check:

* **Attacks.** Each test builds a survey where one known trick would work against a naive
  implementation (total minus shown groups, a "not stated" count, a group hidden in one
  table but shown in another, the fieldwork cross table, a chi-square statistic that
  depends on the hidden groups, a hidden sector rebuilt from its sites) and runs it.
* **Indistinguishability.** Two surveys that differ only in how respondents split between
  two hidden groups must give byte-identical outputs: then no calculation on the outputs,
  however clever, can tell how big the hidden groups are or what they answered.

The fieldwork table is also attacked with linear programming (scipy ``linprog``): the
bounds of every hidden cell given everything shown must not pin its value.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from openpyxl import load_workbook
from scipy.optimize import linprog

from surveykit import Survey, analyse, suppress
from surveykit.analysis.significance import chi_square
from surveykit.codebook import parse_codebook
from surveykit.render.pdf import pdf_available
from surveykit.report import build_report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "glasgow"
K = 10
AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
         "Strongly agree"]
ANSWERS = AGREE + ["Don't know"]
OPTIONS = ["Time", "Money", "Rules"]
SUPPRESSED_MARK = "*"
FORMATS = ["html", "xlsx", "json", "csv"] + (["pdf"] if pdf_available() else [])
HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


# --- building surveys ---------------------------------------------------------------------

def codebook(sectors, roles=None, sites=None, weight=None, text=False):
    breakdowns = [{"id": "sector", "column": "Sector", "label": "Sector",
                   "groups": list(sectors)}]
    if roles:
        breakdowns.append({"id": "role", "column": "Role", "label": "Role",
                           "groups": list(roles)})
    if sites:
        breakdowns.append({"id": "site", "column": "Site", "label": "Site",
                           "groups": list(sites)})
    raw = {
        "title": "Anonymity test survey",
        "scales": {"agree5": {"labels": AGREE, "positive": AGREE[3:], "negative": AGREE[:2],
                              "neutral": [AGREE[2]], "not_applicable": ["Don't know"]}},
        "items": [{"id": "q1", "column": "Q1", "label": "Statement one", "scale": "agree5",
                   "theme": "Theme"},
                  {"id": "q2", "column": "Q2", "label": "Statement two", "scale": "agree5",
                   "theme": "Theme"}],
        "multi": [{"id": "barriers", "column": "Barriers", "label": "Barriers",
                   "separator": ";", "options": OPTIONS}],
        "indices": [{"id": "idx", "label": "Index", "items": ["q1", "q2"]}],
        "breakdowns": breakdowns,
    }
    if weight:
        raw["weight"] = weight
    if text:
        raw["text"] = [{"id": "comments", "column": "Comments", "label": "Any comments?"}]
    return parse_codebook(raw)


def frame(cells, seed=0, skew=None):
    """Respondents from ``{(sector, role): count}`` (None = not stated); answers random,
    except groups in ``skew`` who all answer that (so their figures would stand out)."""
    rng = np.random.default_rng(seed)
    rows = []
    for key, n in cells.items():
        sector, role = key[0], key[1]
        site = key[2] if len(key) > 2 else None
        for _ in range(n):
            if skew and sector in skew:
                q1 = q2 = skew[sector]
            else:
                q1, q2 = rng.choice(ANSWERS, 2, p=[.1, .15, .2, .3, .2, .05])
            ticks = [o for o in OPTIONS if rng.random() < 0.4]
            rows.append({"Sector": sector, "Role": role, "Site": site, "Q1": q1, "Q2": q2,
                         "Barriers": ";".join(ticks),
                         "Comments": f"Remark from {sector} number {len(rows)}",
                         "Weight": float(rng.choice([0.5, 1.0, 1.5, 2.0]))})
    return pd.DataFrame(rows)


def run(tmp_path, name, df, cb, formats=FORMATS, **options):
    """build_report on ``df`` written as CSV; returns the output folder."""
    src = tmp_path / name / "in"
    src.mkdir(parents=True)
    path = src / "survey.csv"
    df.to_csv(path, index=False)
    out = tmp_path / name / "out"
    build_report(path, codebook=cb, out=out, formats=formats, min_group=K, **options)
    return out


def results_of(df, cb, k=K):
    return suppress(analyse(Survey.from_frame(df, cb)), min_group=k)


# --- reading outputs as a reader's tools would ------------------------------------------

class _Tables(HTMLParser):
    """Every table of an HTML page as rows of cell texts; all text and alt/title/aria."""

    def __init__(self):
        super().__init__()
        self.tables, self.text, self._cell, self._row = [], [], None, None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("title", "alt", "aria-label") and value:
                self.text.append(value)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
            self.tables[-1].append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def html_tables(path):
    parser = _Tables()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


def xlsx_values(path):
    wb = load_workbook(path, read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def every_output(out):
    """What each file says, in a comparable form (text for the paper, values for xlsx)."""
    seen = {"json": (out / "results.json").read_text(encoding="utf-8"),
            "csv": (out / "results.csv").read_text(encoding="utf-8"),
            "html": (out / "briefing.html").read_text(encoding="utf-8"),
            "xlsx": xlsx_values(out / "tables.xlsx")}
    if (out / "briefing.pdf").exists() and HAVE_PDFTOTEXT:
        seen["pdf"] = pdf_text(out / "briefing.pdf")
    return seen


# --- what an attacker can compute --------------------------------------------------------

def hidden_groups(payload):
    """{breakdown: set of hidden groups} from the respondent counts."""
    return {b["id"]: {g["group"] for g in b["groups"] if g["suppressed"]}
            for b in payload["breakdown_summary"]}


def all_group_lists(payload):
    """Every list of groups in results.json, as (where, groups, total n, not-stated n)."""
    for b in payload["breakdown_summary"]:
        yield (f"respondents by {b['id']}", b["groups"], payload["respondents"], b["not_stated"])
    for item in payload["items"]:
        for bid, ib in item["by"].items():
            yield f"{item['id']} by {bid}", ib["groups"], item["overall"]["n"], None
    for m in payload["multi"]:
        for bid, mb in m["by"].items():
            yield f"{m['id']} by {bid}", mb["groups"], m["overall"]["n"], None
    for x in payload["indices"]:
        for bid, xb in x["by"].items():
            yield f"{x['id']} by {bid}", xb["groups"], x["overall"]["n"], None


def assert_no_figures_for_hidden(payload):
    """A suppressed group is its label, the flag and the reason: nothing else."""
    for where, groups, _, _ in all_group_lists(payload):
        for g in groups:
            if g["suppressed"]:
                assert set(g) == {"group", "suppressed", "suppression"}, (where, g)


def fieldwork_bounds(payload, cross_index=0):
    """Tightest bounds an attacker can put on each hidden cell and hidden group size of the
    fieldwork table, by linear programming over everything results.json shows.

    Unknowns: the hidden cells, and the never-printed "not stated" row and column of the
    complete table. Known: printed cells, printed row and column totals, respondents, the
    printed not-stated counts. Hidden cells in a line where zeros are printed are at least
    one. Returns ``{("cell", row, col) | ("row", row) | ("col", col): (low, high)}``.
    """
    c = payload["cross"][cross_index]
    summary = {b["id"]: b for b in payload["breakdown_summary"]}
    R, C = len(c["row_groups"]), len(c["column_groups"])
    cells = c["cells"]
    # Zeros are printed, except in hidden lines and in a table printed as margins only.
    zeros_printed = any(v is not None for row in cells for v in row)
    index, lower = {}, []
    for r in range(R + 1):
        for col in range(C + 1):
            printed = r < R and col < C and cells[r][col] is not None
            if not printed:
                index[(r, col)] = len(index)
                zero_printed_line = (r < R and col < C and c["row_totals"][r] is not None
                                     and c["column_totals"][col] is not None)
                lower.append(1 if zero_printed_line and zeros_printed else 0)
    n = len(index)

    def value(r, col):
        return None if (r, col) in index else cells[r][col]

    eqs, rhs = [], []

    def line(members, total):
        row, const = np.zeros(n), 0.0
        for r, col in members:
            v = value(r, col)
            if v is None:
                row[index[(r, col)]] += 1
            else:
                const += v
        eqs.append(row)
        rhs.append(total - const)

    ns_rows = summary[c["rows"]]["not_stated"]
    ns_cols = summary[c["columns"]]["not_stated"]
    row_totals = list(c["row_totals"]) + [ns_rows]
    col_totals = list(c["column_totals"]) + [ns_cols]
    for r, t in enumerate(row_totals):
        if t is not None:
            line([(r, col) for col in range(C + 1)], t)
    for col, t in enumerate(col_totals):
        if t is not None:
            line([(r, col) for r in range(R + 1)], t)
    line([(r, col) for r in range(R + 1) for col in range(C + 1)], payload["respondents"])
    targets = {("cell", r, col): [(r, col)] for (r, col) in index if r < R and col < C}
    targets.update({("row", r): [(r, col) for col in range(C + 1)]
                    for r in range(R) if c["row_totals"][r] is None})
    targets.update({("col", col): [(r, col) for r in range(R + 1)]
                    for col in range(C) if c["column_totals"][col] is None})
    bounds = {}
    A, b = np.array(eqs), np.array(rhs)
    for key, members in targets.items():
        obj, const = np.zeros(n), 0.0
        for r, col in members:
            if (r, col) in index:
                obj[index[(r, col)]] = 1
            else:
                const += value(r, col)
        if not obj.any():
            bounds[key] = (const, const)
            continue
        lo = linprog(obj, A_eq=A, b_eq=b, bounds=list(zip(lower, [None] * n)), method="highs")
        hi = linprog(-obj, A_eq=A, b_eq=b, bounds=list(zip(lower, [None] * n)), method="highs")
        assert lo.status == 0 and hi.status == 0, "the printed table must be consistent"
        bounds[key] = (lo.fun + const, -hi.fun + const)
    return bounds


def assert_fieldwork_unsolvable(payload, truth_cells, truth_rows, truth_cols):
    """No hidden small cell and no hidden small group is pinned by the printed figures."""
    for key, (lo, hi) in fieldwork_bounds(payload).items():
        if key[0] == "cell":
            true = truth_cells[key[1]][key[2]]
        elif key[0] == "row":
            true = truth_rows[key[1]]
        else:
            true = truth_cols[key[1]]
        assert lo - 1e-6 <= true <= hi + 1e-6, (key, lo, true, hi)
        if 0 < true < K:
            assert hi - lo >= 1 - 1e-6, f"{key} = {true} can be worked out: [{lo}, {hi}]"


# --- the planted survey ----------------------------------------------------------------

SECTORS = ["Health", "Housing", "Care", "Tiny", "Small"]
ROLES = ["Front", "Manager"]
PLANTED = {("Health", "Front"): 30, ("Health", "Manager"): 12, ("Housing", "Front"): 20,
           ("Housing", "Manager"): 11, ("Care", "Front"): 15, ("Care", "Manager"): 12,
           ("Tiny", "Front"): 4, ("Tiny", "Manager"): 2,      # 6: below the threshold
           ("Small", "Front"): 8, ("Small", "Manager"): 6}    # 14: the next smallest
PLANTED_SKEW = {"Tiny": "Strongly disagree"}  # the answers a manager would love to see


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("planted")
    df = frame(PLANTED, seed=11, skew=PLANTED_SKEW)
    out = run(tmp, "planted", df, codebook(SECTORS, ROLES))
    return out, df


def test_planted_groups_are_hidden_everywhere_in_results_json(planted):
    out, _ = planted
    payload = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert hidden_groups(payload) == {"sector": {"Tiny", "Small"}, "role": set()}
    assert_no_figures_for_hidden(payload)
    for where, groups, _, _ in all_group_lists(payload):
        if " by sector" in where:
            assert {g["group"] for g in groups if g["suppressed"]} >= {"Tiny", "Small"}, where
    assert all(f["group"] not in ("Tiny", "Small") for f in payload["findings"])


def test_planted_groups_show_no_figures_in_csv(planted):
    out, _ = planted
    table = pd.read_csv(out / "results.csv", keep_default_na=False)
    hidden = table[table["group"].isin(["Tiny", "Small"])]
    assert len(hidden) > 0 and (hidden["suppressed"] == True).all()  # noqa: E712
    assert (hidden[["count", "base", "pct"]] == "").all().all()


def test_planted_groups_show_no_figures_in_xlsx(planted):
    out, _ = planted
    sheets = xlsx_values(out / "tables.xlsx")
    checked = 0
    for title, rows in sheets.items():
        for r, row in enumerate(rows):
            if "Tiny" not in row:
                continue
            # a header row: the columns under Tiny and Small hold only the mark or nothing
            for label in ("Tiny", "Small"):
                if label not in row:
                    continue
                col = row.index(label)
                below = [x[col] for x in rows[r + 1:] if col < len(x)]
                assert all(v in (None, "", SUPPRESSED_MARK) for v in below), (title, label)
                checked += 1
    assert checked >= 2  # the By Sector sheet, both groups
    # the tick-all sheet heads its columns "Sector: Tiny"
    multi = sheets["Tick all"]
    for r, row in enumerate(multi):
        for label in ("Sector: Tiny", "Sector: Small"):
            if label in row:
                col = row.index(label)
                below = [x[col] for x in multi[r + 1:] if col < len(x)]
                assert all(v in (None, "", SUPPRESSED_MARK) for v in below), label
                checked += 1
    assert checked >= 4


def _check_tables(tables, labels):
    """In every HTML table, a hidden group's row or column holds no figure."""
    checked = 0
    for table in tables:
        header = next((row for row in table if any(c in labels for c in row)), None)
        for row in table:
            if row and row[0] in labels:  # the group as a row (who responded, cross table)
                assert all(c.startswith(SUPPRESSED_MARK) or c == "" for c in row[1:]), row
                checked += 1
        if header is not None and header[0] not in labels:
            for label in labels & set(header):
                col = header.index(label)
                for row in table[table.index(header) + 1:]:
                    if col < len(row) and len(row) == len(header):
                        assert row[col] in ("", SUPPRESSED_MARK) or not any(
                            ch.isdigit() for ch in row[col]), (label, row)
                        checked += 1
    return checked


def test_planted_groups_show_no_figures_in_html(planted):
    out, _ = planted
    page = html_tables(out / "briefing.html")
    assert _check_tables(page.tables, {"Tiny", "Small"}) >= 6
    text = " ".join(page.text)
    for phrase in ("Tiny (sector)", "Small (sector)"):  # never the subject of a headline
        assert phrase not in text


@pytest.mark.skipif("pdf" not in FORMATS or not HAVE_PDFTOTEXT, reason="no PDF tools")
def test_planted_groups_show_no_figures_in_pdf(planted):
    out, _ = planted
    text = pdf_text(out / "briefing.pdf")
    for label in ("Tiny", "Small"):
        # the label is printed, with the mark after it, but never a figure
        assert re.search(rf"\b{label}\b[ \t]+\*", text), label
        assert not re.search(rf"\b{label}\b[ \t]+\d", text), label
    assert "Tiny (sector)" not in text


def test_planted_fieldwork_table_cannot_be_solved(planted):
    out, df = planted
    payload = json.loads((out / "results.json").read_text(encoding="utf-8"))
    cells = [[PLANTED.get((s, r), 0) for r in ROLES] for s in SECTORS]
    assert_fieldwork_unsolvable(payload, cells, [sum(r) for r in cells],
                                [sum(c) for c in zip(*cells)])
    # and the paper prints the same withheld cells as results.json
    page = html_tables(out / "briefing.html")
    cross = next(t for t in page.tables if t and t[0][:3] == ["Sector", "Front", "Manager"])
    for s, row in zip(SECTORS, payload["cross"][0]["cells"]):
        printed = next(r for r in cross if r[0] == s)[1:3]
        assert [c if not c.startswith(SUPPRESSED_MARK) else None for c in printed] == \
            [None if v is None else str(v) for v in row]


def test_comments_only_for_large_shown_groups(tmp_path):
    """Comments are listed for groups of at least 20 whose figures are shown: never for a
    hidden group, nor for a shown one under the comment threshold."""
    cells = dict(PLANTED)
    cells[("Mid", "Front")] = 15  # shown in the figures, too small for comments
    sectors = SECTORS + ["Mid"]
    df = frame(cells, seed=11, skew=PLANTED_SKEW)
    out = run(tmp_path, "comments", df, codebook(sectors, ROLES, text=True),
              formats=[f for f in ("html", "pdf") if f in FORMATS], comments=True)
    texts = [" ".join(html_tables(out / "briefing.html").text)]
    if (out / "briefing.pdf").exists() and HAVE_PDFTOTEXT:
        texts.append(" ".join(pdf_text(out / "briefing.pdf").split()))
    for text in texts:
        assert "Remark from Health" in text and "Remark from Care" in text
        for group in ("Tiny", "Small", "Mid"):
            assert f"Remark from {group}" not in text, group


# --- indistinguishability: how the hidden groups split changes nothing ---------------

def _two_worlds(df, move_from, move_to):
    """The survey, and the same survey with one respondent of ``move_from`` moved to
    ``move_to`` (answers and role unchanged)."""
    other = df.copy()
    j = other.index[other["Sector"] == move_from][0]
    other.loc[j, "Sector"] = move_to
    return df, other


@pytest.mark.parametrize("variant", ["unweighted", "weighted"])
def test_outputs_do_not_depend_on_how_hidden_groups_split(tmp_path, variant):
    """Tiny 6 / Small 14 and Tiny 5 / Small 15 must give identical files: every figure
    shown, every test, letter, correction, headline and chart is then blind to the hidden
    groups' sizes and answers, so no subtraction or search can recover them."""
    df = frame(PLANTED, seed=11, skew=PLANTED_SKEW)
    a, b = _two_worlds(df, "Tiny", "Small")
    options = {"weight": "Weight"} if variant == "weighted" else {}
    cb = codebook(SECTORS, ROLES)
    seen_a = every_output(run(tmp_path, "a", a, cb, **options))
    seen_b = every_output(run(tmp_path, "b", b, cb, **options))
    assert seen_a.keys() == seen_b.keys()
    for fmt in seen_a:
        assert seen_a[fmt] == seen_b[fmt], f"{fmt} tells the two surveys apart"


def test_chi_square_does_not_pin_the_hidden_split():
    """The attack that worked before tests were pooled: try every split of the hidden
    remainder between Tiny and Small and keep those that reproduce the published
    chi-square. A unique survivor would be Tiny's size and answers."""
    df = frame({("A", None): 40, ("B", None): 30, ("Tiny", None): 4, ("Small", None): 12},
               seed=1)
    df["Q1"] = np.where(np.arange(len(df)) % 3 == 0, "Agree", "Disagree")
    payload = suppress(analyse(Survey.from_frame(df, codebook(["A", "B", "Tiny", "Small"]))),
                       K).to_dict()
    item = payload["items"][0]
    ib = item["by"]["sector"]
    shown = [g for g in ib["groups"] if not g["suppressed"]]
    assert {g["group"] for g in ib["groups"] if g["suppressed"]} == {"Tiny", "Small"}
    cats = list(item["overall"]["counts"])
    rest = [item["overall"]["counts"][c] - sum(g["counts"][c] for g in shown) for c in cats]
    live = [j for j, r in enumerate(rest) if r > 0]
    survivors = 0
    for n_tiny in range(1, K):
        for split in itertools.product(*[range(int(rest[j]) + 1) for j in live]):
            if sum(split) != n_tiny:
                continue
            tiny = np.zeros(len(cats))
            tiny[live] = split
            table = [[g["counts"][c] for c in cats] for g in shown] + [tiny, np.array(rest) - tiny]
            stat = chi_square(np.array([table], dtype=float))["statistic"][0]
            if np.isclose(stat, ib["test"]["statistic"], rtol=1e-12):
                survivors += 1
    assert survivors == 0  # the published test only knows the remainder as one group
    # and the published test is the shown groups against that remainder
    table = [[g["counts"][c] for c in cats] for g in shown] + [rest]
    expected = chi_square(np.array([table], dtype=float))
    assert ib["test"]["statistic"] == pytest.approx(expected["statistic"][0], rel=1e-12)
    assert ib["test"]["min_expected"] == pytest.approx(expected["min_expected"][0], rel=1e-12)


def test_weighted_tests_are_withheld_not_leaked():
    df = frame(PLANTED, seed=3)
    cb = codebook(SECTORS, ROLES, weight="Weight")
    payload = results_of(df, cb).to_dict()
    for item in payload["items"]:
        test = item["by"]["sector"]["test"]
        assert test["statistic"] is None and test["p_value"] is None
        assert test["p_method"].startswith("withheld")
        assert item["by"]["role"]["test"]["p_value"] is not None  # nothing hidden by role
    for m in payload["multi"]:
        assert all(t["p_value"] is None for t in m["by"]["sector"]["tests"])


def test_stratified_tests_are_withheld_and_blind_to_the_split(tmp_path):
    """Unweighted, stratified by sector with headcounts: tests by sector cannot be redone
    from the records, so they are withheld, and nothing shown depends on the split."""
    from surveykit.ingest.population import read_population

    heads = tmp_path / "headcounts.csv"
    heads.write_text("breakdown,group,headcount\n" + "".join(
        f"sector,{s},{60 + 10 * i}\n" for i, s in enumerate(SECTORS)), encoding="utf-8")
    population = read_population(heads)
    cb = codebook(SECTORS, ROLES)
    a, b = _two_worlds(frame(PLANTED, seed=5), "Tiny", "Small")
    first, second = (suppress(analyse(Survey.from_frame(df, cb), population=population,
                                      strata_pool=("Tiny", "Small")), K)
                     for df in (a, b))
    assert first.settings.strata is not None and not first.settings.weighted
    for item in first.to_dict()["items"]:
        assert item["by"]["sector"]["test"]["p_method"].startswith("withheld")
    _same(first.to_dict(), second.to_dict())
    # Without the pool, each hidden stratum's FPC would carry its size into every SE.
    with pytest.raises(ValueError, match="strata_pool"):
        suppress(analyse(Survey.from_frame(a, cb), population=population), K)


# --- attacks one by one ----------------------------------------------------------------

def test_not_stated_count_is_not_printed_beside_a_hidden_group(tmp_path):
    """Total minus shown groups minus the printed "not stated" would be the hidden group."""
    cells = {("A", None): 50, ("T", None): 6, ("B", None): 30, (None, None): 15}
    out = run(tmp_path, "ns", frame(cells, seed=2), codebook(["A", "T", "B"]),
              formats=["json", "html"])
    payload = json.loads((out / "results.json").read_text(encoding="utf-8"))
    summary = payload["breakdown_summary"][0]
    assert summary["not_stated"] is None
    shown = sum(g["n"] for g in summary["groups"] if not g["suppressed"])
    assert payload["respondents"] - shown == 21  # Tiny and the not stated, together
    assert "Not stated" not in " ".join(html_tables(out / "briefing.html").text)


def test_enough_not_stated_alone_hide_nothing(tmp_path):
    cells = {("A", None): 50, ("B", None): 30, ("C", None): 12, (None, None): 15}
    payload = results_of(frame(cells, seed=2), codebook(["A", "B", "C"])).to_dict()
    summary = payload["breakdown_summary"][0]
    assert not any(g["suppressed"] for g in summary["groups"])
    assert summary["not_stated"] == 15


def test_item_tables_hide_the_groups_the_respondent_counts_hide():
    """Respondents: Tiny 4 and Small 15 hidden. On one item Rest (16 people, 4 "don't
    know") has fewer answers than Small; choosing the item's cover afresh would show Small
    there, and with everyone answering Small's size, hence Tiny's, would follow."""
    cells = {("A", None): 50, ("B", None): 40, ("Tiny", None): 4, ("Small", None): 15,
             ("Rest", None): 16}
    df = frame(cells, seed=4)
    df.loc[df["Sector"] == "Rest", "Q1"] = ["Don't know"] * 4 + ["Agree"] * 12
    df.loc[df["Q1"].isna(), "Q1"] = "Agree"
    payload = results_of(df, codebook(list(dict.fromkeys(k[0] for k in cells)))).to_dict()
    hidden = hidden_groups(payload)["sector"]
    assert hidden == {"Tiny", "Small"}
    for where, groups, _, _ in all_group_lists(payload):
        assert {g["group"] for g in groups if g["suppressed"]} >= hidden, where


def test_fieldwork_row_of_a_hidden_group_is_not_printed():
    """Small is hidden as Tiny's cover; printing Small's row of the sector x role table
    would give its size, and the respondent count minus the shown sectors would give Tiny."""
    cells = {("Big1", "R1"): 30, ("Big1", "R2"): 30, ("Big2", "R1"): 9, ("Big2", "R2"): 40,
             ("Tiny", "R1"): 4, ("Small", "R1"): 10, ("Small", "R2"): 20,
             ("U", "R1"): 25, ("U", "R2"): 12}
    sectors, roles = ["Big1", "Big2", "Tiny", "Small", "U"], ["R1", "R2"]
    payload = results_of(frame(cells), codebook(sectors, roles)).to_dict()
    assert hidden_groups(payload)["sector"] == {"Tiny", "Small"}
    cross = payload["cross"][0]
    assert all(v is None for v in cross["cells"][sectors.index("Small")])
    truth = [[cells.get((s, r), 0) for r in roles] for s in sectors]
    assert_fieldwork_unsolvable(payload, truth, [sum(r) for r in truth],
                                [sum(c) for c in zip(*truth)])


def test_fieldwork_not_stated_within_a_row_is_protected():
    """Row total minus printed cells is the number in that sector with no role stated."""
    cells = {("A", "R1"): 30, ("A", "R2"): 25, ("A", None): 3, ("B", "R1"): 28,
             ("B", "R2"): 22, ("C", "R1"): 26, ("C", "R2"): 27}
    payload = results_of(frame(cells), codebook(["A", "B", "C"], ["R1", "R2"])).to_dict()
    cross = payload["cross"][0]
    row = cross["cells"][0]
    printed = [v for v in row if v is not None]
    assert len(printed) < len(row), "sector A minus its printed cells would be 3 people"
    truth = [[cells.get((s, r), 0) for r in ["R1", "R2"]] for s in "ABC"]
    assert_fieldwork_unsolvable(payload, truth, [58, 50, 53], [84, 74])


def test_hidden_sector_is_not_rebuilt_from_its_sites():
    """Sector Tiny (one site, 4 people) hides sector H as cover; site T1 hides A2 as cover.
    H's two sites are each big enough to show, but together they are H, and the total
    minus the shown sectors minus H would be Tiny."""
    cells = {("A", None, "A1"): 40, ("A", None, "A2"): 11, ("Tiny", None, "T1"): 4,
             ("H", None, "H1"): 12, ("H", None, "H2"): 13, ("B", None, "B1"): 45}
    sites = ["A1", "A2", "T1", "H1", "H2", "B1"]
    df = frame(cells, seed=6)
    results = results_of(df, codebook(["A", "Tiny", "H", "B"], sites=sites))
    assert [(x.child, x.parent) for x in results.nesting] == [("site", "sector")]
    payload = results.to_dict()
    for where, groups, total, _ in all_group_lists(payload):
        if where.endswith("by sector") or where == "respondents by sector":
            sectors = {g["group"]: g for g in groups}
            if not sectors["H"]["suppressed"]:
                continue
            sites_of_h = [g for g in payload_groups(payload, where, "site") if g["group"] in
                          ("H1", "H2")]
            assert any(g["suppressed"] for g in sites_of_h), where
    # the sector x site fieldwork table (mostly zeros) does not give the sites away either
    sectors = ["A", "Tiny", "H", "B"]
    truth = [[cells.get((s, None, site), 0) for site in sites] for s in sectors]
    assert payload["cross"][0]["rows"] == "sector"
    assert_fieldwork_unsolvable(payload, truth, [sum(r) for r in truth],
                                [sum(c) for c in zip(*truth)])


def test_coarser_breakdown_does_not_give_a_hidden_group_away():
    """An "area" breakdown that merges Tiny with Health: area North minus sector Health
    would be Tiny, on every item, unless one of them is hidden too."""
    cells = {("Health", None, "North"): 40, ("Tiny", None, "North"): 4,
             ("Housing", None, "South"): 30, ("Care", None, "South"): 25}
    df = frame(cells, seed=8)
    results = results_of(df, codebook(["Health", "Tiny", "Housing", "Care"],
                                      sites=["North", "South"]))
    assert [(x.child, x.parent) for x in results.nesting] == [("sector", "site")]
    payload = results.to_dict()
    for where, groups, _, _ in all_group_lists(payload):
        if "by sector" not in where:
            continue
        sectors = {g["group"]: g["suppressed"] for g in groups}
        areas = {g["group"]: g["suppressed"] for g in payload_groups(payload, where, "site")}
        assert sectors["Tiny"]
        assert areas["North"] or sectors["Health"], where


def test_nearly_nested_breakdown_does_not_give_a_hidden_group_away():
    """As above, but one Housing respondent is filed under North: the breakdowns no longer
    nest, yet North minus Health would be Tiny plus that one person. (Attacked by brute
    force over every subset of the cross table in test_disclosure_pairs.py.)"""
    cells = {("Health", None, "North"): 40, ("Tiny", None, "North"): 4,
             ("Housing", None, "South"): 29, ("Housing", None, "North"): 1,
             ("Care", None, "South"): 25}
    results = results_of(frame(cells, seed=8), codebook(["Health", "Tiny", "Housing", "Care"],
                                                        sites=["North", "South"]))
    payload = results.to_dict()
    for where, groups, _, _ in all_group_lists(payload):
        if "by sector" not in where:
            continue
        sectors = {g["group"]: g for g in groups}
        areas = {g["group"]: g for g in payload_groups(payload, where, "site")}
        if not areas["North"]["suppressed"] and not sectors["Health"]["suppressed"]:
            remainder = areas["North"]["n"] - sectors["Health"]["n"]  # Tiny and one more
            assert remainder >= K, where


def payload_groups(payload, where, breakdown):
    """The groups of ``breakdown`` in the same table as ``where`` (same item / question)."""
    name = where.replace("by sector", f"by {breakdown}")
    return next(groups for w, groups, _, _ in all_group_lists(payload) if w == name)


# --- the bundled example ---------------------------------------------------------------

@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("glasgow")
    build_report(EXAMPLE / "survey.xlsx", codebook=EXAMPLE / "codebook.yaml", out=out,
                 formats=["json", "html"])
    return out


def test_example_small_cell_cannot_be_worked_out(example):
    """Training x Senior manager has 6 respondents: hidden, and not solvable from the
    printed margins and cells."""
    payload = json.loads((example / "results.json").read_text(encoding="utf-8"))
    cross = payload["cross"][0]
    r = cross["row_groups"].index("Training")
    c = cross["column_groups"].index("Senior manager")
    assert cross["cells"][r][c] is None
    bounds = fieldwork_bounds(payload)
    lo, hi = bounds[("cell", r, c)]
    assert lo <= 6 <= hi and hi - lo >= 1
    for key, (lo, hi) in bounds.items():
        assert hi - lo >= 1, key
    assert_no_figures_for_hidden(payload)


def test_example_paper_prints_the_same_hidden_cells(example):
    payload = json.loads((example / "results.json").read_text(encoding="utf-8"))
    cross = payload["cross"][0]
    page = html_tables(example / "briefing.html")
    table = next(t for t in page.tables if t and t[0][1:1 + len(cross["column_groups"])]
                 == cross["column_groups"])
    for g, row in zip(cross["row_groups"], cross["cells"]):
        printed = next(r for r in table if r[0] == g)[1:1 + len(row)]
        for v, p in zip(row, printed):
            assert (v is None) == p.startswith(SUPPRESSED_MARK), (g, v, p)


# --- random surveys ----------------------------------------------------------------------

def _covered_line(groups, total, not_stated, truth):
    """The one-way rule on what results.json shows: the remainder (total minus shown
    groups, minus the not-stated count when printed) is nobody or at least K people; so
    it is never one group below K on its own, and a hidden small group always shares it."""
    shown = sum(g["n"] for g in groups if not g["suppressed"])
    remainder = total - shown - (not_stated or 0)
    hidden = [g["group"] for g in groups if g["suppressed"] and truth.get(g["group"], 0) > 0]
    unshown = remainder - sum(truth[g] for g in hidden)
    assert unshown >= -1e-9
    assert remainder == 0 or remainder >= K, (remainder, hidden, unshown)
    small = [g for g in hidden if truth[g] < K]
    if small:
        assert len(hidden) + (unshown > 0) >= 2


@st.composite
def small_surveys(draw, small_sector=False):
    """Sectors x roles with random cell sizes (a few with the group not stated); with
    ``small_sector`` the first sector has 2 to 8 people, so that something is hidden."""
    n_sectors = draw(st.integers(2 if not small_sector else 3, 5))
    n_roles = draw(st.integers(2, 3))
    sectors = [f"S{i}" for i in range(n_sectors)]
    roles = [f"R{j}" for j in range(n_roles)]
    cells = {}
    for s in sectors + [None]:
        for r in roles + [None]:
            high = 3 if s is None or r is None else 4 if small_sector and s == "S0" else 25
            n = draw(st.integers(0, high))
            if n:
                cells[(s, r)] = n
    if small_sector:
        assume(2 <= sum(n for (s, _), n in cells.items() if s == "S0") < K)
    assume(sum(cells.values()) >= 20)  # (an index needs two complete answers)
    return sectors, roles, cells, draw(st.integers(0, 10_000))


@given(st.one_of(small_surveys(), small_surveys(small_sector=True)))
@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_surveys_never_leave_a_hidden_group_alone(spec):
    """For every breakdown of every table in results.json: no group hidden, or the hidden
    remainder is at least two parts and K people; the fieldwork table is not solvable."""
    sectors, roles, cells, seed = spec
    df = frame(cells, seed=seed)
    payload = results_of(df, codebook(sectors, roles)).to_dict()
    assert_no_figures_for_hidden(payload)
    sizes = {"sector": df["Sector"].value_counts().to_dict(),
             "role": df["Role"].value_counts().to_dict()}
    for b in payload["breakdown_summary"]:
        _covered_line(b["groups"], payload["respondents"], b["not_stated"], sizes[b["id"]])
    for item in payload["items"]:
        valid = df[df[item["id"].upper()].isin(AGREE)]
        for bid, ib in item["by"].items():
            truth = valid[bid.title()].value_counts().to_dict()
            _covered_line(ib["groups"], item["overall"]["n"], None, truth)
    truth = [[cells.get((s, r), 0) for r in roles] for s in sectors]
    assert_fieldwork_unsolvable(payload, truth,
                                [sum(cells.get((s, r), 0) for r in roles + [None])
                                 for s in sectors],
                                [sum(cells.get((s, r), 0) for s in sectors + [None])
                                 for r in roles])


@given(small_surveys(small_sector=True), st.booleans())
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_surveys_are_blind_to_the_hidden_split(spec, weighted):
    """Move one respondent between two hidden sectors: if the same groups and cells are
    hidden for the same reasons, results.json must not change at all."""
    sectors, roles, cells, seed = spec
    df = frame(cells, seed=seed)
    cb = codebook(sectors, roles, weight="Weight" if weighted else None)
    first = results_of(df, cb)
    hidden = [g.group for g in first.breakdowns[0].groups if g.suppressed]
    sizes = df["Sector"].value_counts()
    movable = [h for h in hidden if sizes.get(h, 0) > 1]
    assume(len(hidden) >= 2 and movable)
    source = movable[0]
    target = next(h for h in hidden if h != source)
    _, other = _two_worlds(df, source, target)
    second = results_of(other, cb)

    def pattern(res):
        d = res.to_dict()
        marks = [[g.get("suppression") for g in groups]  # which are hidden, and why
                 for _, groups, _, _ in all_group_lists(d)]
        return marks, [[v is None for v in row] for c in d["cross"] for row in c["cells"]], \
            d["nesting"]

    assume(pattern(first) == pattern(second))
    assert json.dumps(first.to_dict(), sort_keys=True) == \
        json.dumps(second.to_dict(), sort_keys=True)


# --- weighting to headcounts (raking) ---------------------------------------------------

RAKE_CELLS = {("A", None): 50, ("B", None): 40, ("T", None): 4, ("S", None): 14}
RAKE_HEADCOUNTS = {"A": 100, "B": 80, "T": 20, "S": 30}


def _rake_run(tmp_path, name, df):
    (tmp_path / name).mkdir()
    heads = tmp_path / name / "headcounts.csv"
    heads.write_text("breakdown,group,headcount\n" + "".join(
        f"sector,{g},{n}\n" for g, n in RAKE_HEADCOUNTS.items()), encoding="utf-8")
    out = run(tmp_path, name, df, codebook(list(RAKE_HEADCOUNTS)), formats=["json"],
              population=heads)
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def _same(a, b, where=""):
    """Equal, numbers to 1e-9 relative (raking sums weights in a different order)."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), where
    else:
        assert a == b, where


def test_raked_outputs_do_not_depend_on_how_hidden_groups_split(tmp_path):
    """Raked separately, a hidden group's weight N_g / n_g would give its size away through
    the weighting report and every figure using squared weights (n_eff, intervals,
    design-based tests); the run rakes the hidden groups together as one cell."""
    df = frame(RAKE_CELLS, seed=1)
    a, b = _two_worlds(df, "T", "S")
    _same(_rake_run(tmp_path, "a", a), _rake_run(tmp_path, "b", b))


def test_raking_report_does_not_give_a_hidden_group_size(tmp_path):
    """A manager who knows the headcounts: T's weight is N_T / n_T, and it is the largest."""
    payload = _rake_run(tmp_path, "rake", frame(RAKE_CELLS, seed=1))
    assert hidden_groups(payload)["sector"] == {"T", "S"}
    report = payload["settings"]["weighting"]
    from_max_weight = RAKE_HEADCOUNTS["T"] / report["max_weight"]
    # the sum of squared weights of the hidden remainder, from n_eff, solved for n_T
    summary = {g["group"]: g.get("n") for g in payload["breakdown_summary"][0]["groups"]}
    item = payload["items"][0]["by"]["sector"]["groups"]
    weight = {g["group"]: g["weighted_n"] / g["n"] for g in item if not g["suppressed"]}
    squares = report["sum_weights"] ** 2 / report["n_eff"] - sum(
        summary[g] * w ** 2 for g, w in weight.items())
    m = payload["respondents"] - sum(summary[g] for g in weight)
    solutions = [n for n in range(1, m) if np.isclose(
        RAKE_HEADCOUNTS["T"] ** 2 / n + RAKE_HEADCOUNTS["S"] ** 2 / (m - n), squares)]
    assert round(from_max_weight) != 4 and solutions != [4]
