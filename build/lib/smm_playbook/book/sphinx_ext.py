"""Sphinx extension for the course book.

- Serves plotly.js and the vendored widget scripts from the site's own `_static/`,
  so the built book works on a closed network.
- Adds the `knowledge-check` directive: a multiple-choice question that works in
  static HTML (no kernel), with an explanation for every option.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import plotly
import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

STATIC = Path(__file__).parent / "static"


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


def _drop_thebe(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Remove sphinx-thebe's scripts, which Jupyter Book 1 always adds.

    The course has no live-code buttons; thebe would point at a CDN (unpkg) and its
    inline configuration is added twice, which throws a script error on every page.
    """
    for key in ("script_files", "css_files"):
        files = context.get(key) or []
        context[key] = [f for f in files if "thebe" not in _describe(f).lower()]


def _describe(asset) -> str:
    body = getattr(asset, "attributes", {}).get("body", "")
    return f"{getattr(asset, 'filename', asset)} {body}"


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _copy_plotly)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.add_directive("knowledge-check", KnowledgeCheck)
    # Before any require.js a widget page adds, so plotly sets window.Plotly.
    app.add_js_file("plotly.min.js", priority=200)
    app.add_js_file("smm-knowledge-check.js", priority=600)
    app.add_css_file("smm-course.css")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
