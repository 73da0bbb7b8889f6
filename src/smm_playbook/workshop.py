"""Simulators as full-screen Voilà apps for trainers (`smm-playbook workshop`).

One server serves every app, each with a pre-heated kernel, behind a landing page
that lists them; `smm-playbook workshop NAME` opens one app on that server.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import webbrowser
from dataclasses import dataclass
from pathlib import Path

import nbformat


@dataclass(frozen=True)
class Simulator:
    module: str
    factory: str
    title: str
    arguments: str = ""  # Python source of the factory's arguments, if any
    purpose: str = ""  # one line for the workshop's landing page

    @property
    def module_label(self) -> str:
        return self.title.split(" · ")[0]

    @property
    def name(self) -> str:
        return self.title.split(" · ", 1)[-1]


SIMULATORS: dict[str, Simulator] = {
    "competency": Simulator(
        "smm_playbook.widgets.competency",
        "competency_app",
        "Module 0 · Competency self-assessment",
        purpose=(
            "Rate yourself on the nine competencies and compare the profile with a "
            "role's target."
        ),
    ),
    "channel-planner": Simulator(
        "smm_playbook.widgets.channel_planner",
        "channel_planner_app",
        "Module 1 · Channel planner",
        purpose=(
            "Split posting effort across channels and see the share of the target "
            "audience it reaches."
        ),
    ),
    "maturity": Simulator(
        "smm_playbook.widgets.maturity",
        "maturity_app",
        "Module 1 · Social business maturity",
        purpose=(
            "Tick what the organisation already does and see where it stands on the"
            " maturity staircase."
        ),
    ),
    "content-calendar": Simulator(
        "smm_playbook.widgets.content_calendar",
        "content_calendar_app",
        "Module 2 · Content calendar lab",
        purpose=(
            "Set cadence, hour and format per platform and see each week's reach "
            "and engagement."
        ),
    ),
    "ab-planner": Simulator(
        "smm_playbook.widgets.ab_test",
        "ab_planner_app",
        "Module 2 · A/B test planner",
        purpose=(
            "Choose baseline, smallest effect and significance, and read the sample"
            " an A/B test needs."
        ),
    ),
    "moderation-queue": Simulator(
        "smm_playbook.widgets.moderation_queue",
        "moderation_queue_app",
        "Module 3 · Moderation queue",
        purpose=(
            "Staff the shifts of a social inbox and see the backlog and the SLA met"
            " per tier."
        ),
    ),
    "rumour-spread": Simulator(
        "smm_playbook.widgets.rumour_spread",
        "rumour_spread_app",
        "Module 4 · How a story spreads",
        purpose=(
            "Change when and how the brand responds and watch a story spread "
            "through a follower network."
        ),
    ),
    "crisis-drill": Simulator(
        "smm_playbook.widgets.tabletop",
        "trainer_app",
        "Module 4 · Golden-hour drill: glass in the bottle",
        '"glass-in-the-bottle"',
        purpose=(
            "Run the golden-hour tabletop drill with teams: a contaminated-product "
            "scenario."
        ),
    ),
    "crisis-drill-post": Simulator(
        "smm_playbook.widgets.tabletop",
        "trainer_app",
        "Module 4 · Golden-hour drill: the offensive post",
        '"offensive-brand-post"',
        purpose=(
            "Run the golden-hour tabletop drill with teams: an offensive brand post."
        ),
    ),
    "auction-lab": Simulator(
        "smm_playbook.widgets.paid_social",
        "auction_lab_app",
        "Module 5 · Auction and budget lab",
        purpose=(
            "Set budget, bid cap, creative and audience per channel and see spend, "
            "CPA and frequency by day."
        ),
    ),
    "attribution-lab": Simulator(
        "smm_playbook.widgets.attribution",
        "attribution_lab_app",
        "Module 6 · Attribution lab",
        purpose=(
            "Compare attribution models with a known truth and plan a lift test "
            "that can detect it."
        ),
    ),
    "creator-lab": Simulator(
        "smm_playbook.widgets.creator_portfolio",
        "creator_lab_app",
        "Module 7 · Creator portfolio lab",
        purpose=(
            "Weigh fit, engagement and authenticity to pick creators, against a "
            "followers-only choice."
        ),
    ),
    "query-lab": Simulator(
        "smm_playbook.widgets.query_lab",
        "query_lab_app",
        "Module 8 · Listening query lab",
        purpose=(
            "Write a Boolean listening query and measure its precision and recall "
            "against hand labels."
        ),
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
            "from IPython.display import display\n\n"
            "from smm_playbook.workshop import load_figures_from_server, mark_ready\n"
            f"from {simulator.module} import {simulator.factory}\n\n"
            "load_figures_from_server()\n"
            f"display({simulator.factory}({simulator.arguments}))\n"
            f"mark_ready({name!r})"
        ),
    ]
    return notebook


# Where a workshop server's kernels find plotly's widget code (set by server_command).
PLOTLY_ESM = "SMM_WORKSHOP_PLOTLY_ESM"
PLOTLY_BUNDLE = "plotly-widget.js"
# The folder in which a workshop server's kernels mark the app they hold as ready.
READY = "SMM_WORKSHOP_READY"


def mark_ready(name: str) -> None:
    """In a workshop server's kernel, record that app `name` has been built.

    Voila reports a pre-heated kernel as soon as it has started, but the kernel
    then still runs the app's notebook (imports, model, figures) for several
    seconds; only once that is done does the app's page open at once. The file
    `name` in the READY folder says it is; anywhere else this does nothing.
    """
    folder = os.environ.get(READY)
    if folder:
        (Path(folder) / name).touch()


def ready_apps(folder: Path) -> set[str]:
    """The apps a kernel of the server using `folder` has built (at least once)."""
    marks = folder / "ready"
    return {path.name for path in marks.iterdir()} if marks.is_dir() else set()


def load_figures_from_server() -> None:
    """In a workshop server's kernel, have figures load plotly's code by URL.

    A plotly FigureWidget otherwise sends its front-end code (plotly.js with the
    widget, 5 MB) through the kernel with every figure, and the page compiles it
    once per figure: most of the seconds an app took to open. Served as one file
    from the workshop server, the browser fetches and compiles it once and keeps it
    in its cache. Anywhere else (JupyterLab, the hub) this does nothing.
    """
    url = os.environ.get(PLOTLY_ESM)
    if url:
        from plotly.basewidget import BaseFigureWidget

        BaseFigureWidget._esm = url


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
LANDING_MARK = '<meta name="smm-workshop" content="apps">'  # in landing.html
# A used kernel's replacement starts this long after an app is opened, so that a
# trainer's first minutes with the app do not share the CPU with a new kernel.
REFILL_DELAY_S = 20
# JupyterLab extensions in the course's environment that no app needs: the apps
# use ipywidgets and anywidget (plotly's FigureWidget), nothing else. Among them
# is plotly's own: it draws figures shown as output (not as widgets) and carries
# a second copy of plotly.js (4.8 MB) that every page fetched and compiled at its
# start, although a FigureWidget takes its code from PLOTLY_BUNDLE instead.
UNUSED_EXTENSIONS = [
    "jupyterlab-plotly",
    "jupyterlab-jupytext",
    "@voila-dashboards/jupyterlab-preview",
    "jupyterlab_pygments",
]


def app_path(name: str) -> str:
    """The app's page on the workshop server, from the server's root."""
    lookup(name)
    return f"voila/render/{name}.ipynb"


def app_url(port: int, name: str | None = None) -> str:
    root = f"http://127.0.0.1:{port}/"
    return root if name is None else root + app_path(name)


def server_command(
    port: int, folder: Path, names: list[str] | None = None
) -> tuple[list[str], dict]:
    """The command line and environment of the workshop server on localhost.

    One Voilà serves every app (or only `names`) with a kernel pre-heated for
    each: the app's notebook has already run when a trainer opens it, so the
    figure appears as soon as the page loads. The landing page at / lists the
    apps. Notebooks and the landing page's template are written into `folder`,
    which the caller removes after; kernels mark there the apps they have built
    (`ready_apps`).
    """
    names = list(SIMULATORS) if names is None else names
    for name in names:
        lookup(name)
    apps = folder / "apps"
    apps.mkdir(parents=True, exist_ok=True)
    (folder / "ready").mkdir(exist_ok=True)
    for name in names:
        nbformat.write(app_notebook(name), apps / f"{name}.ipynb")
    shutil.copyfile(plotly_bundle(), apps / PLOTLY_BUNDLE)
    share = folder / "share"
    landing = share / "voila" / "templates" / "smm-workshop"
    landing.mkdir(parents=True, exist_ok=True)
    (landing / "conf.json").write_text('{"base_template": "smm"}')
    (landing / "tree.html").write_text(landing_page(names))
    esm = f"{app_url(port)}voila/files/{PLOTLY_BUNDLE}"
    command = [
        sys.executable,
        "-m",
        "voila",
        str(apps),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",  # never drift to another port than the one announced
        "--strip_sources=True",
        "--template=smm-workshop",
        "--theme=light",
        "--VoilaConfiguration.classic_tree=True",  # our landing page, no file browser
        "--preheat_kernel=True",
        "--pool_size=1",
        # Thirteen kernels start at once: on a slow laptop one may need more than
        # the 60 s Voila waits by default, and its app would then fail to open.
        "--VoilaExecutor.startup_timeout=180",
        f"--VoilaKernelManager.fill_delay={REFILL_DELAY_S}",
        "--no-browser",  # serve() opens the page it announced, once the server answers
        # Not the front-end extensions the apps do not use: each page loads less,
        # and nothing unrelated (jupytext's, say) fails to start in Voilà.
        f"--VoilaConfiguration.extension_denylist={UNUSED_EXTENSIONS!r}",
        # the one file the server gives out besides the apps (see PLOTLY_ESM)
        f"--VoilaConfiguration.file_allowlist={[re.escape(PLOTLY_BUNDLE)]!r}",
        # and its address for the page, which starts fetching and compiling it
        # while Voila's own code loads, not once the figures ask for it
        f"--VoilaConfiguration.resources={dict(plotly_esm=esm)!r}",
    ]
    paths = [str(share), str(TEMPLATES), os.environ.get("JUPYTER_PATH", "")]
    env = dict(os.environ, JUPYTER_PATH=os.pathsep.join(p for p in paths if p))
    env[PLOTLY_ESM] = esm
    env[READY] = str(folder / "ready")
    return command, env


def plotly_bundle() -> Path:
    """plotly's FigureWidget front end (the file its `_esm` is read from)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"


def landing_page(names: list[str]) -> str:
    """The server's front page: every app with its module and what it is for.

    A Jinja template for Voilà's tree page; it uses only `base_url` from Voilà.
    """
    rows = "\n".join(
        '<li><a href="{{ base_url }}'
        + html.escape(app_path(name))
        + '">'
        + f'<span class="app">{html.escape(SIMULATORS[name].name)}</span></a>'
        + f' <span class="module">{html.escape(SIMULATORS[name].module_label)}</span>'
        + f"<p>{html.escape(SIMULATORS[name].purpose)}</p></li>"
        for name in names
    )
    page = (TEMPLATES / "landing.html").read_text(encoding="utf-8")
    return page.replace("<!-- APPS -->", rows)


def port_is_free(port: int) -> bool:
    """True when nothing on this machine listens on `port` (127.0.0.1)."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def workshop_is_running(port: int) -> bool:
    """True when a workshop server answers on `port`."""
    try:
        with urllib.request.urlopen(app_url(port), timeout=2) as response:
            return LANDING_MARK in response.read().decode("utf-8", "replace")
    except OSError:
        return False


def serve(port: int, open_browser: bool, name: str | None = None) -> int:
    """Run the workshop server until interrupted; return its exit code.

    Opens the landing page (or app `name`) in a browser once the server answers.
    """
    url = app_url(port, name)
    with tempfile.TemporaryDirectory(prefix="smm-workshop-") as folder:
        command, env = server_command(port, Path(folder))
        process = subprocess.Popen(command, env=env)
        threading.Thread(
            target=_announce_when_ready, args=(Path(folder), process), daemon=True
        ).start()
        if open_browser:
            threading.Thread(
                target=_open_when_up, args=(url, port, process), daemon=True
            ).start()
        # Stopped by Ctrl+C or a plain `kill`: stop Voilà and its kernels too.
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            return process.wait()
        finally:
            signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _announce_when_ready(folder: Path, process: subprocess.Popen) -> None:
    while process.poll() is None:
        if len(ready_apps(folder)) == len(SIMULATORS):
            print(f"All {len(SIMULATORS)} apps are ready: each opens at once.")
            return
        time.sleep(0.5)


def _open_when_up(url: str, port: int, process: subprocess.Popen) -> None:
    while process.poll() is None:
        if workshop_is_running(port):
            webbrowser.open(url)
            return
        time.sleep(0.5)
