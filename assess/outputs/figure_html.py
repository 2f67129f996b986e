"""A chart as an interactive page for download: plotly.js inline, so it opens offline and loads
nothing from other hosts."""

from __future__ import annotations

import html
import re

import plotly.graph_objects as go

#: Plotly's config for a downloaded chart: no mode bar at all. Its logo and "Share chart"
#: button (sendDataToCloud) lead to Plotly's cloud, and nothing in the file may reach outside it; the
#: chart's own hover and legend clicks still work. The pages use the same (static/js/plots.js).
PLOTLY_CONFIG = {
    "responsive": True,
    "displayModeBar": False,
    "displaylogo": False,
    "showSendToCloud": False,
    "modeBarButtonsToRemove": ["sendDataToCloud"],
    "showTips": False,
}


def figure_html(fig: go.Figure) -> str:
    """The figure as a complete HTML page that fills the window, titled with the chart's title."""
    page = go.Figure(fig)
    # Fill the window: keep the height, drop the fixed export width (see assess.core.charts).
    page.update_layout(width=None, autosize=True)
    text = page.to_html(
        include_plotlyjs=True,
        full_html=True,
        config=PLOTLY_CONFIG,
    )
    title = _figure_title(fig) or "Chart"
    text = text.replace("<html>", '<html lang="en">', 1)
    return text.replace("<head>", f"<head><title>{html.escape(title)}</title>", 1)


def _figure_title(fig: go.Figure) -> str:
    text = fig.layout.title.text or ""
    return re.sub(r"<[^>]+>", " ", text).strip()
