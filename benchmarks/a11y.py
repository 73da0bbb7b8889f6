"""axe-core over every page of the built book (`python benchmarks/a11y.py [HTML]`).

Counts violations by impact (nodes and pages) and lists the rules, so the
accessibility work can be reported before and after. Chromium is Debian's, driven
by Playwright; axe-core comes bundled with axe-playwright-python.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium_page, serve  # noqa: E402
from conftest import toc_files  # noqa: E402


def survey(html: Path) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    nodes: collections.Counter = collections.Counter()
    pages: collections.Counter = collections.Counter()
    rules: collections.Counter = collections.Counter()
    examples: dict[str, str] = {}
    where: dict[str, list[str]] = collections.defaultdict(list)
    names = toc_files()
    with serve(html) as url, chromium_page("a11y-survey") as offline:
        for name in names:
            offline.page.goto(f"{url}/{name}.html", wait_until="networkidle")
            offline.page.wait_for_timeout(400)  # the theme's scripts settle (300 ms)
            found = axe.run(offline.page).response["violations"]
            impacts = set()
            for violation in found:
                impact = violation["impact"]
                impacts.add(impact)
                nodes[impact] += len(violation["nodes"])
                rules[f"{impact}:{violation['id']}"] += len(violation["nodes"])
                if impact in {"serious", "critical"}:
                    where[violation["id"]].append(name)
                examples.setdefault(
                    violation["id"], violation["nodes"][0]["html"][:160]
                )
            for impact in impacts:
                pages[impact] += 1
    return {
        "pages_checked": len(names),
        "nodes_by_impact": dict(nodes),
        "pages_by_impact": dict(pages),
        "rules": dict(rules.most_common()),
        "examples": examples,
        "serious_or_critical_on": dict(where),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("html", nargs="?", default=str(ROOT / "_build" / "html"))
    print(json.dumps(survey(Path(parser.parse_args().html)), indent=2))


if __name__ == "__main__":
    main()
