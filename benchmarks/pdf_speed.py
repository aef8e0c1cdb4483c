"""Benchmark: how long the example's briefing paper takes to become a PDF.

Issue 5 asks that a 20-item, 2-breakdown paper renders to PDF in a few seconds. This times
the stages separately on the bundled example (20 statements, sector and role): the
analysis, the print HTML (charts drawn), and WeasyPrint's layout and drawing of that HTML,
reporting CPU time (``time.process_time``, steady on a shared machine) and wall time.

Run from the repository root::

    python benchmarks/pdf_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "glasgow"


def timed(label: str, work, repeat: int):
    best_cpu = best_wall = float("inf")
    result = None
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        result = work()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    print(f"{label:<34} cpu {best_cpu:6.2f} s   wall {best_wall:6.2f} s")
    return result, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; best kept")
    args = parser.parse_args()

    import weasyprint

    from surveykit import analyse, read_survey, suppress
    from surveykit.render.pdf import print_html, render_pdf

    survey = read_survey(EXAMPLE / "survey.xlsx", codebook=EXAMPLE / "codebook.yaml")
    results, _ = timed("analyse + suppress", lambda: suppress(analyse(survey), min_group=10),
                       args.repeat)
    html, t_html = timed("print HTML (charts drawn)", lambda: print_html(results), args.repeat)
    document, t_layout = timed("WeasyPrint layout", lambda: weasyprint.HTML(string=html).render(),
                               args.repeat)
    _, t_draw = timed("WeasyPrint drawing the PDF", document.write_pdf, args.repeat)
    pdf, t_all = timed("render_pdf, end to end", lambda: render_pdf(results), args.repeat)
    print(f"{len(results.items)} statements, {len(results.breakdowns)} breakdowns, "
          f"{len(pdf) / 1024:.0f} KB, {len(document.pages)} pages; "
          f"charts + layout + drawing {t_html + t_layout + t_draw:.2f} s CPU")


if __name__ == "__main__":
    main()
