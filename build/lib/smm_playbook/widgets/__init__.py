"""Thin interactive views (ipywidgets + plotly) over the models in `sim/`."""
