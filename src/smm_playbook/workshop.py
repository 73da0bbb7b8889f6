"""Simulators as stand-alone Voilà apps for trainers (`smm-playbook workshop NAME`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat


@dataclass(frozen=True)
class Simulator:
    module: str
    factory: str
    title: str
    arguments: str = ""  # Python source of the factory's arguments, if any


SIMULATORS: dict[str, Simulator] = {
    "competency": Simulator(
        "smm_playbook.widgets.competency",
        "competency_app",
        "Module 0 · Competency self-assessment",
    ),
    "channel-planner": Simulator(
        "smm_playbook.widgets.channel_planner",
        "channel_planner_app",
        "Module 1 · Channel planner",
    ),
    "maturity": Simulator(
        "smm_playbook.widgets.maturity",
        "maturity_app",
        "Module 1 · Social business maturity",
    ),
    "content-calendar": Simulator(
        "smm_playbook.widgets.content_calendar",
        "content_calendar_app",
        "Module 2 · Content calendar lab",
    ),
    "ab-planner": Simulator(
        "smm_playbook.widgets.ab_test",
        "ab_planner_app",
        "Module 2 · A/B test planner",
    ),
    "moderation-queue": Simulator(
        "smm_playbook.widgets.moderation_queue",
        "moderation_queue_app",
        "Module 3 · Moderation queue",
    ),
    "rumour-spread": Simulator(
        "smm_playbook.widgets.rumour_spread",
        "rumour_spread_app",
        "Module 4 · How a story spreads",
    ),
    "crisis-drill": Simulator(
        "smm_playbook.widgets.tabletop",
        "trainer_app",
        "Module 4 · Golden-hour drill: glass in the bottle",
        '"glass-in-the-bottle"',
    ),
    "crisis-drill-post": Simulator(
        "smm_playbook.widgets.tabletop",
        "trainer_app",
        "Module 4 · Golden-hour drill: the offensive post",
        '"offensive-brand-post"',
    ),
    "auction-lab": Simulator(
        "smm_playbook.widgets.paid_social",
        "auction_lab_app",
        "Module 5 · Auction and budget lab",
    ),
    "attribution-lab": Simulator(
        "smm_playbook.widgets.attribution",
        "attribution_lab_app",
        "Module 6 · Attribution lab",
    ),
    "creator-lab": Simulator(
        "smm_playbook.widgets.creator_portfolio",
        "creator_lab_app",
        "Module 7 · Creator portfolio lab",
    ),
    "query-lab": Simulator(
        "smm_playbook.widgets.query_lab",
        "query_lab_app",
        "Module 8 · Listening query lab",
    ),
}


class UnknownSimulator(ValueError):
    """The name given is not one of the course's simulators."""


def app_notebook(name: str) -> nbformat.NotebookNode:
    """A one-cell notebook that shows the simulator; Voilà hides the code."""
    simulator = lookup(name)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"# {simulator.title}"),
        nbformat.v4.new_code_cell(
            f"from {simulator.module} import {simulator.factory}\n\n"
            f"{simulator.factory}({simulator.arguments})"
        ),
    ]
    return notebook


def lookup(name: str) -> Simulator:
    if name not in SIMULATORS:
        available = ", ".join(SIMULATORS)
        raise UnknownSimulator(
            f"There is no simulator called {name!r}. Available: {available}."
        )
    return SIMULATORS[name]


# Our Voilà template: the stock "lab" template minus its Font Awesome <link>s, which
# point at a CDN (Voilà's own bundle already carries the icons).
TEMPLATES = Path(__file__).parent / "workshop_share"


def voila_command(
    name: str, port: int, open_browser: bool, folder: Path
) -> tuple[list[str], dict]:
    """The command line and environment that serve simulator `name` on localhost.

    The app's notebook is written into `folder`, which the caller removes after.
    """
    path = folder / f"{name}.ipynb"
    nbformat.write(app_notebook(name), path)
    command = [
        sys.executable,
        "-m",
        "voila",
        str(path),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",  # never drift to another port than the one announced
        "--strip_sources=True",
        "--template=smm",
        "--theme=light",
    ]
    if not open_browser:
        command.append("--no-browser")
    paths = [str(TEMPLATES), os.environ.get("JUPYTER_PATH", "")]
    env = dict(os.environ, JUPYTER_PATH=os.pathsep.join(p for p in paths if p))
    return command, env


def port_is_free(port: int) -> bool:
    """True when nothing on this machine listens on `port` (127.0.0.1)."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def serve(name: str, port: int, open_browser: bool) -> int:
    """Run Voilà on localhost until interrupted; return its exit code."""
    with tempfile.TemporaryDirectory(prefix="smm-workshop-") as folder:
        command, env = voila_command(name, port, open_browser, Path(folder))
        return subprocess.call(command, env=env)
