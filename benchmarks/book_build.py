"""What the explorable figures cost: build time of each grid, and page weights.

    python benchmarks/book_build.py [--runs 1] [--html _build/html] [--before DIR]

For each explorable figure (`smm_playbook.book.grids.SPECS`): the grid points,
the time to compute the grid with the simulator's own model (what the book build
pays, once per page execution; jupyter-cache skips it on a rebuild with nothing
changed), and the bytes the figure adds to its page. Then, for each page that
carries one, the page's weight in the built book (`--html`) and, if `--before`
names a build without the figures, the weight there. The book's limit is 1.5 MB
per page, plotly.js excluded (it is shared in `_static/`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smm_playbook.book import grids  # noqa: E402

PAGES = grids.PAGES
LIMIT = 1.5 * 1024 * 1024


def grid_costs(runs: int) -> pd.DataFrame:
    rows = []
    for name in grids.SPECS:
        samples, markup, figure = [], "", None
        for _ in range(runs):
            start = time.perf_counter()
            figure = grids.explorable_figure(name)
            markup = figure.to_html()
            samples.append(time.perf_counter() - start)
        rows.append(
            {
                "figure": name,
                "page": PAGES[name],
                "grid_points": len(figure.frames),
                "build_s": statistics.median(samples),
                "figure_kB": len(markup.encode()) / 1024,
            }
        )
    return pd.DataFrame(rows)


def weights(html: Path, before: Path | None) -> pd.DataFrame:
    rows = []
    for page in sorted(set(PAGES.values())):
        row = {"page": page}
        for label, root in (("before_kB", before), ("after_kB", html)):
            path = root / f"{page}.html" if root else None
            row[label] = path.stat().st_size / 1024 if path and path.exists() else None
        row["within_limit"] = (
            row["after_kB"] is not None and row["after_kB"] * 1024 < LIMIT
        )
        rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="builds per grid (median)")
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--before", type=Path, default=None)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    costs = grid_costs(args.runs)
    pd.set_option("display.width", 140)
    print(costs.to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    print(
        f"\nAll grids: {costs['grid_points'].sum():,} points in "
        f"{costs['build_s'].sum():.1f} s, {costs['figure_kB'].sum():,.0f} kB of figures"
    )
    if (args.html / "index.html").exists():
        print()
        table = weights(args.html, args.before)
        print(table.to_string(index=False, float_format=lambda v: f"{v:,.0f}"))
    else:
        print(f"\n{args.html} holds no built book: page weights skipped.")


if __name__ == "__main__":
    main()
