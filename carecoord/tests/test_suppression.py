"""Small-number suppression (outcomes/suppression.py): counts, percentages, medians,
complementary suppression in groups and tables, differences."""

from carecoord import suppression as s
from carecoord.suppression import HIDDEN, Cell


def shown(cells):
    return [str(c) for c in cells]


def test_counts_under_five_are_shown_as_less_than_five_and_zero_is_shown():
    assert shown(s.series([0, 1, 4, 5, 12, None])) == ["0", "< 5", "< 5", "5", "12", "—"]
    assert s.count(3).shown is None  # an export never gets the value


def test_a_percentage_on_a_small_count_is_suppressed():
    assert str(s.percentage(3, 20)) == "< 5"  # 3 pupils
    assert str(s.percentage(4, 4)) == "< 5"  # on 4 pupils
    assert str(s.percentage(17, 20)) == "< 5"  # the 3 who did not go back
    assert str(s.percentage(15, 20)) == "75%"
    assert str(s.percentage(20, 20)) == "100%"
    assert str(s.percentage(0, 0)) == "—"


def test_a_median_over_fewer_than_five_pupils_is_suppressed():
    assert str(s.statistic([2.0, 3.0, 9.0])) == "< 5"
    assert s.statistic([1, 2, 3, 4, 5]).value == 3
    assert str(s.statistic([])) == "—"


def test_one_suppressed_cell_beside_a_total_takes_the_smallest_other_with_it():
    cells, total = s.group([3, 10, 7, 0])
    # Without the second suppression 3 = 20 - 10 - 7 - 0.
    assert shown(cells) == ["< 5", "10", "< 5", "0"]
    assert str(total) == "20"


def test_two_suppressed_cells_protect_each_other():
    cells, total = s.group([2, 3, 10])
    assert shown(cells) == ["< 5", "< 5", "10"]
    assert str(total) == "15"


def test_a_lone_suppressed_cell_with_only_zeros_beside_it_hides_the_total():
    cells, total = s.group([3, 0, 0])
    assert shown(cells) == ["< 5", "0", "0"]
    assert total.suppressed


def test_a_total_under_five_is_suppressed_with_its_cells():
    cells, total = s.group([1, 2])
    assert shown(cells) == ["< 5", "< 5"]
    assert total.suppressed


def _revealed(matrix, cells, row_totals, col_totals, grand):
    """Cells an attacker can compute from one shown row or column (total minus the shown
    others, when exactly one cell of that line is hidden)."""
    found = set()
    for r, row in enumerate(cells):
        hidden = [c for c, cell in enumerate(row) if cell.suppressed]
        if len(hidden) == 1 and not row_totals[r].suppressed:
            found.add((r, hidden[0]))
    for c in range(len(cells[0])):
        hidden = [r for r in range(len(cells)) if cells[r][c].suppressed]
        if len(hidden) == 1 and not col_totals[c].suppressed:
            found.add((hidden[0], c))
    return found


def test_a_table_protects_every_suppressed_cell_in_rows_and_columns():
    # Facilities x outcomes: the last column would reveal the hidden 2 through its column total.
    matrix = [[12, 2, 9], [8, 7, 6], [10, 11, 3]]
    cells, row_totals, col_totals, grand = s.table(matrix)
    assert cells[0][1].suppressed and cells[2][2].suppressed
    assert _revealed(matrix, cells, row_totals, col_totals, grand) == set()
    assert str(grand) == "68"


def test_row_totals_do_not_reveal_a_suppressed_row_total():
    cells, row_totals, col_totals, grand = s.table([[1, 1], [10, 10], [8, 9]])
    assert row_totals[0].suppressed
    # 2 = 39 - 20 - 17 would show it: another row total goes too.
    assert sum(1 for t in row_totals if t.suppressed) >= 2


def test_many_random_tables_never_reveal_a_cell():
    import random

    rng = random.Random(21)
    for _ in range(300):
        matrix = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14]) for _c in range(4)] for _r in range(4)]
        cells, row_totals, col_totals, grand = s.table(matrix)
        assert _revealed(matrix, cells, row_totals, col_totals, grand) == set(), matrix
        for r, row in enumerate(matrix):
            for c, v in enumerate(row):
                if 0 < v < 5:
                    assert cells[r][c].suppressed


def test_a_difference_with_a_suppressed_side_is_suppressed():
    assert s.difference(Cell(12), HIDDEN).suppressed
    assert s.difference(HIDDEN, Cell(12)).suppressed
    assert s.difference(Cell(12), Cell(9)).value == 3
    assert str(s.difference(Cell(None), Cell(9))) == "—"


def test_a_chart_draws_a_suppressed_value_as_a_gap_and_tables_it_as_less_than_five():
    from carecoord.charts import Series, bar_chart

    chart = bar_chart(title="Thuiszitters", x_labels=["w1", "w2"], series=[Series("n", s.series([3, 8]))], unit="")
    assert [len(d["bars"]) for d in chart.drawn] == [1]
    assert chart.rows[0]["cells"] == ["< 5"]
    assert chart.rows[1]["cells"] == ["8"]
