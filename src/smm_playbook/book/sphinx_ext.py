"""Sphinx extension for the course book.

- Serves plotly.js and the vendored widget scripts from the site's own `_static/`,
  so the built book works on a closed network.
- Adds the `knowledge-check` directive: a multiple-choice question that works in
  static HTML (no kernel), with an explanation for every option.
- Accessibility the theme leaves out: an accessible name on every navigation
  toggle, list items in the bibliography, and a text alternative (the chart's
  title) on every plotly figure.
- Points Jupyter Book's JupyterHub launch button at the learner's own copy of the
  page on the course's hub (`launch_buttons.jupyterhub_url` in _config.yml).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import plotly
import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

STATIC = Path(__file__).parent / "static"
# What Sphinx hands an html-page-context handler: the template's variables, any kind.
Context = dict[str, Any]


def _copy_plotly(app: Sphinx) -> None:
    """Put plotly.min.js (alone, not plotly's widget bundle) on the static path."""
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    target = Path(app.doctreedir).parent / "smm_static"
    target.mkdir(parents=True, exist_ok=True)
    if not (target / source.name).exists() or _newer(source, target / source.name):
        shutil.copy2(source, target / source.name)
    app.config.html_static_path.extend([str(STATIC), str(target)])


def _newer(a: Path, b: Path) -> bool:
    return a.stat().st_mtime > b.stat().st_mtime


class KnowledgeCheck(SphinxDirective):
    """A self-marking question. Body (YAML): question, options[text, correct, why]."""

    has_content = True
    option_spec = {"id": str}

    def run(self) -> list[nodes.Node]:
        try:
            spec = yaml.safe_load("\n".join(self.content))
            question, options = _parse(spec)
        except (yaml.YAMLError, ValueError) as error:
            raise self.error(f"knowledge-check: {error}") from None
        ident = self.options.get("id") or f"kc-{self.env.new_serialno('kc')}"
        return [nodes.raw("", _render(ident, question, options), format="html")]


def _parse(spec: object) -> tuple[str, list[dict]]:
    if not isinstance(spec, dict) or not isinstance(spec.get("question"), str):
        raise ValueError("the body needs a 'question' string")
    options = spec.get("options")
    if not isinstance(options, list) or len(options) < 2:
        raise ValueError("the body needs at least two 'options'")
    for option in options:
        if (
            not isinstance(option, dict)
            or not option.get("text")
            or not option.get("why")
        ):
            raise ValueError(f"every option needs 'text' and 'why': {option!r}")
    if not any(o.get("correct") is True for o in options):
        raise ValueError("at least one option must have 'correct: true'")
    return spec["question"], options


def _render(ident: str, question: str, options: list[dict]) -> str:
    multi = sum(o.get("correct") is True for o in options) > 1
    kind = "checkbox" if multi else "radio"
    items = "".join(
        f'<li><label><input type="{kind}" name="{html.escape(ident)}" '
        f'data-correct="{str(o.get("correct") is True).lower()}" '
        f'data-why="{html.escape(str(o["why"]))}"> '
        f"{html.escape(str(o['text']))}</label></li>"
        for o in options
    )
    hint = "Select all that apply, then press Check." if multi else "Choose one answer."
    button = (
        '<button type="button" class="smm-kc-check">Check</button>' if multi else ""
    )
    return (
        f'<div class="smm-kc" id="{html.escape(ident)}" '
        f'data-multi="{str(multi).lower()}">'
        f'<p class="smm-kc-question">{html.escape(question)}</p>'
        f'<p class="smm-kc-how">{hint}</p><ul class="smm-kc-options">{items}</ul>'
        f'{button}<div class="smm-kc-feedback" aria-live="polite"></div></div>'
    )


def _drop_thebe(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: Context,
    doctree: nodes.document | None,
) -> None:
    """Remove sphinx-thebe's scripts, which Jupyter Book 1 always adds.

    The course has no live-code buttons; thebe would point at a CDN (unpkg) and its
    inline configuration is added twice, which throws a script error on every page.
    """
    for key in ("script_files", "css_files"):
        files = context.get(key) or []
        context[key] = [f for f in files if "thebe" not in _describe(f).lower()]


def _describe(asset: object) -> str:
    body = getattr(asset, "attributes", {}).get("body", "")
    return f"{getattr(asset, 'filename', asset)} {body}"


def _label_nav_toggles(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: Context,
    doctree: nodes.document | None,
) -> None:
    """Give each icon-only <summary> in the sidebar an accessible name.

    pydata-sphinx-theme draws a chevron (a decorative icon) as the only content of
    the <summary> that opens a chapter's pages, so a screen reader hears "button"
    and nothing else (axe: summary-name). The label names the chapter.
    """
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "smm_labelled", False):
        return
    context["generate_toctree_html"] = _LabelledToctree(generate)


class _LabelledToctree:
    """The theme's `generate_toctree_html`, with every <summary> toggle named."""

    smm_labelled = True  # wrapped once, however often the page context is built

    def __init__(self, generate: Callable[..., Any]) -> None:
        self.generate = generate

    def __call__(self, kind: str, *args: Any, **kwargs: Any) -> Any:
        soup = self.generate(kind, *args, **kwargs)
        if not hasattr(soup, "select"):
            return soup
        for summary in soup.select("summary"):
            if summary.get_text(strip=True) or summary.get("aria-label"):
                continue
            item = summary.find_parent("li")
            link = item.find("a") if item else None
            chapter = link.get_text(" ", strip=True) if link else ""
            summary["aria-label"] = (
                f"Show or hide the pages of {chapter}" if chapter else "Show or hide"
            )
        return soup


PLOTLY_CALL = re.compile(r'Plotly\.newPlot\(\s*"([^"]+)",\s*')
PLOTLY_DIV = '<div id="{}" class="plotly-graph-div"'
TAG = re.compile(r"<[^>]+>")
PRE_WITHOUT_TABINDEX = re.compile(r"<pre(?=[\s>])(?![^>]*\btabindex=)")


def figure_label(layout: dict, data: list) -> str:
    """A short text alternative for a plotly figure: its title, else its axes."""

    def text(value: object) -> str:
        if isinstance(value, dict):
            value = value.get("text")
        return " ".join(TAG.sub(" ", html.unescape(str(value or ""))).split())

    title = text(layout.get("title"))
    if title:
        return f"Chart: {title}"
    x = text((layout.get("xaxis") or {}).get("title"))
    y = text((layout.get("yaxis") or {}).get("title"))
    if x and y:
        return f"Chart of {y} against {x}"
    names = [text(trace.get("name")) for trace in data if isinstance(trace, dict)]
    names = [name for name in names if name]
    return f"Chart: {', '.join(names)}" if names else "Chart"


def label_figures(body: str) -> str:
    """Mark every plotly figure in `body` as a figure named after its title.

    role="figure" (not "img") keeps the controls of an explorable figure (sliders,
    menus) reachable inside it.
    """
    decoder = json.JSONDecoder()
    labels = {}
    for match in PLOTLY_CALL.finditer(body):
        try:
            data, end = decoder.raw_decode(body, match.end())
            end = body.index(",", end) + 1
            while body[end].isspace():
                end += 1
            layout, _ = decoder.raw_decode(body, end)
        except (ValueError, IndexError):
            continue
        if isinstance(layout, dict) and isinstance(data, list):
            labels[match.group(1)] = figure_label(layout, data)
    for ident, label in labels.items():
        opening = PLOTLY_DIV.format(ident)
        label = html.escape(label, quote=True)
        body = body.replace(opening, f'{opening} role="figure" aria-label="{label}"', 1)
    return body


def _fix_body(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: Context,
    doctree: nodes.document | None,
) -> None:
    """Accessibility fixes to the page's own HTML."""
    body = context.get("body")
    if not body:
        return
    # Sphinx gives each citation role="doc-biblioentry" inside role="list": a
    # deprecated role that a list may not contain (axe: aria-required-children).
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    # A code block wider than the page scrolls, so a keyboard must reach it (axe:
    # scrollable-region-focusable). The theme's script sets the same tabindex once
    # the page has settled, and -1 where nothing scrolls; here it holds from the
    # first paint.
    body = PRE_WITHOUT_TABINDEX.sub('<pre tabindex="0"', body)
    context["body"] = label_figures(body)


# Where the course's hub puts things in a learner's home (smm_playbook.cohort.seed):
# exercises/ holds the exercises, book/ the built book, whose _sources/ keeps each
# executed page's notebook when a launch button is configured.
HUB_BOOK_NOTEBOOKS = "book/_sources/"


def _point_launch_button_at_hub(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: Context,
    _: nodes.document | None,
) -> None:
    """Open the page's notebook in the learner's own server on the course's hub.

    The theme's JupyterHub button pulls a GitHub repository with nbgitpuller; the
    course's hub has already copied the course into each learner's home, so the
    button goes there through JupyterHub's /hub/user-redirect/.
    """
    options = app.config.html_theme_options.get("launch_buttons") or {}
    hub = (options.get("jupyterhub_url") or "").strip().rstrip("/")
    if not hub:
        return
    interface = {"classic": "tree", "jupyterlab": "lab/tree"}[
        options.get("notebook_interface", "jupyterlab")
    ]
    if pagename.startswith("exercises/"):
        target = quote(f"{pagename}.ipynb")
    else:
        target = quote(f"{HUB_BOOK_NOTEBOOKS}{pagename}.ipynb")
    for group in context.get("header_buttons") or []:
        for button in group.get("buttons", []) if isinstance(group, dict) else []:
            if button.get("text") == "JupyterHub":
                button["url"] = f"{hub}/hub/user-redirect/{interface}/{target}"


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _copy_plotly)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _label_nav_toggles, priority=900)
    app.connect("html-page-context", _fix_body, priority=900)
    app.connect("html-page-context", _point_launch_button_at_hub, priority=900)
    app.add_directive("knowledge-check", KnowledgeCheck)
    # Before any require.js a widget page adds, so plotly sets window.Plotly.
    app.add_js_file("plotly.min.js", priority=200)
    app.add_js_file("smm-knowledge-check.js", priority=600)
    app.add_css_file("smm-course.css")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
