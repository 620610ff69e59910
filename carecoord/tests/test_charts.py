"""The shared chart (carecoord/charts.py, templates/partials/_chart.html): gaps stay gaps,
values are clamped into the plot, the table has every value in the page's language, and the
SVG has no script or style (CSP)."""

from django.template.loader import render_to_string
from django.utils import translation

from carecoord.charts import Series, bar_chart, line_chart


def _chart(**extra):
    return line_chart(
        title="Percentage per dag",
        x_labels=["01-09", "02-09", "03-09", "04-09"],
        series=[Series("Dag", [50, None, 82.5, 120])],
        goal=80,
        goal_label="Doel 80 %",
        **extra,
    )


def test_a_gap_breaks_the_line_and_values_stay_inside_the_plot():
    chart = _chart()
    drawn = chart.drawn[0]
    assert len(drawn["segments"]) == 2
    ys = [p["y"] for p in drawn["points"]]
    assert min(ys) >= chart.grid[-1]["y"] and max(ys) <= chart.bottom  # 120 drawn at the top
    assert chart.goal_y == round(chart.bottom - (chart.bottom - chart.grid[-1]["y"]) * 0.8, 1)


def test_the_table_has_every_value_in_dutch():
    with translation.override("nl"):
        chart = _chart()
        cells = [row["cells"][0] for row in chart.rows]
        assert cells == ["50%", "", "82,5%", "120%"]
        html = render_to_string("partials/_chart.html", {"chart": chart})
    assert html.count("<tr>") == 5  # header and four rows
    assert "—" in html and "82,5%" in html and "Doel 80 %" in html
    assert "<script" not in html and "style=" not in html


def test_bars_side_by_side_per_label():
    chart = bar_chart(
        title="Per week",
        x_labels=["wk 1", "wk 2"],
        series=[Series("A", [40, 60]), Series("B", [80, None])],
    )
    a, b = chart.drawn
    assert len(a["bars"]) == 2 and len(b["bars"]) == 1
    assert a["bars"][0]["x"] < b["bars"][0]["x"] < a["bars"][1]["x"]
    assert a["colour"] != b["colour"] and a["dash"] != b["dash"]


def test_an_empty_chart_says_so_and_a_long_one_folds_its_table():
    empty = line_chart(title="Leeg", x_labels=["a"], series=[Series("x", [None])])
    assert empty.is_empty
    # In Dutch whatever an earlier test in this process left active.
    with translation.override("nl"):
        assert "Nog geen gegevens" in render_to_string("partials/_chart.html", {"chart": empty})
    long = line_chart(title="Jaar", x_labels=[str(n) for n in range(190)], series=[Series("x", list(range(190)))])
    assert not long.table_open and long.drawn[0]["points"] == []
    assert len(long.x_ticks) <= 11
