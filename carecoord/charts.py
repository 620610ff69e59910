"""Charts as server-rendered SVG, always with their data as a table (WCAG 2.1 AA: a graph
is not the only way to read its figures). No script, no inline style (the
Content-Security-Policy allows neither): colours are SVG presentation attributes, and
series differ by dash pattern and marker too, not only by colour.

Build a `Chart` in a view or selector and include the one template:

    chart = line_chart(title=..., x_labels=[...], series=[Series("Dag", [72, None, 85])],
                       goal=80, goal_label="Doel 80 %")
    {% include "partials/_chart.html" with chart=chart %}

Used by the daily point card (cico) and meant for the outcome dashboards: see docs/charts.md.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.formats import number_format

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 40
MAX_X_LABELS = 10
# Okabe–Ito colours (safe for colour blindness), with a dash pattern each.
PALETTE = [
    ("#0072B2", ""),
    ("#D55E00", "6 3"),
    ("#009E73", "2 3"),
    ("#CC79A7", "8 3 2 3"),
    ("#E69F00", "1 2"),
]


@dataclass
class Series:
    label: str
    values: list  # float | int | None per x label; None is a gap (no data that day)


def _plain(value):
    """A number to draw: a suppressed figure (carecoord/suppression.py: a `Cell` with
    `suppressed`) is a gap in the graph, never its value; a `Cell` draws as its value."""
    if value is None or getattr(value, "suppressed", False):
        return None
    return getattr(value, "value", value)


@dataclass
class Marker:
    """An event marked on the x axis (a placement's start and end, an OT decision)."""

    index: int  # the x label it stands at
    label: str


@dataclass
class Chart:
    title: str
    x_labels: list[str]
    series: list[Series]
    kind: str = "line"  # "line" or "bar"
    y_max: float = 100
    unit: str = "%"
    goal: float | None = None
    goal_label: str = ""
    x_title: str = ""
    summary: str = ""  # one sentence read before the graph (also for screen readers)
    table_open_rows: int = 20  # the table is folded open when it has at most this many rows
    markers: list = field(default_factory=list)  # Marker per event on the x axis
    id: str = field(default="")

    width = WIDTH
    height = HEIGHT

    def __post_init__(self):
        if not self.id:
            self.id = "chart-" + "".join(c for c in self.title.lower() if c.isalnum())[:30]

    # --- geometry --------------------------------------------------------------------------

    @property
    def _plot_w(self):
        return WIDTH - LEFT - RIGHT

    @property
    def _plot_h(self):
        return HEIGHT - TOP - BOTTOM

    def _x(self, i: int) -> float:
        n = len(self.x_labels)
        if self.kind == "bar":
            return LEFT + self._plot_w * (i + 0.5) / max(n, 1)
        return LEFT + (self._plot_w * i / (n - 1) if n > 1 else self._plot_w / 2)

    def _y(self, value: float) -> float:
        value = max(0, min(value, self.y_max))
        return TOP + self._plot_h * (1 - value / self.y_max)

    @property
    def bottom(self) -> float:
        return TOP + self._plot_h

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return WIDTH - RIGHT

    @cached_property
    def grid(self) -> list[dict]:
        steps = 4
        return [
            {"y": round(self._y(self.y_max * k / steps), 1), "label": f"{self.y_max * k / steps:g}"}
            for k in range(steps + 1)
        ]

    @cached_property
    def goal_y(self) -> float | None:
        return None if self.goal is None else round(self._y(self.goal), 1)

    @cached_property
    def x_ticks(self) -> list[dict]:
        n = len(self.x_labels)
        every = max(1, -(-n // MAX_X_LABELS))
        return [
            {"x": round(self._x(i), 1), "label": label}
            for i, label in enumerate(self.x_labels)
            if i % every == 0 or i == n - 1
        ]

    @cached_property
    def drawn(self) -> list[dict]:
        """Per series: its colour and dash, the line's segments (broken at gaps), the
        points (circles with a tooltip title) and, for bars, the rectangles."""
        out = []
        n = max(len(self.x_labels), 1)
        band = self._plot_w / n
        bar_w = band * 0.8 / max(len(self.series), 1)
        for s_index, series in enumerate(self.series):
            colour, dash = PALETTE[s_index % len(PALETTE)]
            segments, current, points, bars = [], [], [], []
            for i, value in enumerate(series.values):
                value = _plain(value)
                if value is None:
                    if current:
                        segments.append(" ".join(current))
                    current = []
                    continue
                x, y = round(self._x(i), 1), round(self._y(value), 1)
                current.append(f"{x},{y}")
                points.append({"x": x, "y": y, "title": f"{self.x_labels[i]}: {value:g}{self.unit}"})
                if self.kind == "bar":
                    left = LEFT + band * i + band * 0.1 + bar_w * s_index
                    bars.append(
                        {
                            "x": round(left, 1),
                            "y": y,
                            "w": round(bar_w, 1),
                            "h": round(self.bottom - y, 1),
                            "title": points[-1]["title"],
                        }
                    )
            if current:
                segments.append(" ".join(current))
            out.append(
                {
                    "label": series.label,
                    "colour": colour,
                    "dash": dash,
                    "segments": segments,
                    "points": points if len(points) <= 60 else [],
                    "bars": bars,
                }
            )
        return out

    # --- the table ----------------------------------------------------------------------------

    def format(self, value) -> str:
        """A value as the table shows it, in the page's language ("82,5%" in Dutch); a
        suppressed figure as "< 5"."""
        if getattr(value, "suppressed", False):
            return str(value)
        value = _plain(value)
        if value is None:
            return ""
        return number_format(value, 0 if float(value).is_integer() else 1) + self.unit

    @cached_property
    def rows(self) -> list[dict]:
        """The table: per x label its cells, formatted here (a year of days is 190 rows:
        formatting in the template would cost more than the rest of the page)."""
        return [
            {"label": label, "cells": [self.format(s.values[i] if i < len(s.values) else None) for s in self.series]}
            for i, label in enumerate(self.x_labels)
        ]

    @property
    def goal_text(self) -> str:
        return self.format(self.goal)

    @property
    def table_open(self) -> bool:
        return len(self.x_labels) <= self.table_open_rows

    @property
    def is_empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)

    @cached_property
    def drawn_markers(self) -> list[dict]:
        """The event markers as vertical lines with their label (also listed under the chart)."""
        return [
            {"x": round(self._x(m.index), 1), "label": m.label, "n": n}
            for n, m in enumerate(self.markers, start=1)
            if 0 <= m.index < len(self.x_labels)
        ]


def line_chart(**kwargs) -> Chart:
    return Chart(kind="line", **kwargs)


def bar_chart(**kwargs) -> Chart:
    return Chart(kind="bar", **kwargs)
