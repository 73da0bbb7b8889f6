"""Helper package for the Social Media Manager Playbook course.

Modules: `kpis` (formulas), `data` (validated datasets), `sim` (simulator models),
`widgets` (interactive views), `checks` and `exercises` (formative feedback),
`tools` (authoring), `book` (Jupyter Book integration), `cli` (the `smm-playbook`
command).
"""

__version__ = "0.1.0"
