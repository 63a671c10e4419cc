"""Issue 14: the server-drawn charts wrap their labels and write numbers the Indonesian way."""

import re

from django.utils import translation

from satupintu.reports.charts import Bar, bar_chart_svg, label_lines

LONG = "Sistem, mekanisme, dan prosedur pelayanan perizinan"


def test_a_long_label_wraps_whole_onto_lines_of_the_label_column():
    """The chart cut its labels ("Sistem, mekanisme, dan pr"); every word is printed now."""
    svg = str(bar_chart_svg([Bar(label=LONG, value=80), Bar(label="IKM", value=75)], title="Nilai"))
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert " ".join(spans) == f"{LONG} IKM"
    assert len(label_lines(LONG)) > 1 and all(len(line) <= 26 for line in label_lines(LONG))


def test_values_without_their_own_text_have_the_decimal_comma():
    with translation.override("id"):
        svg = str(bar_chart_svg([Bar(label="U1", value=82.5)], title="Nilai"))
    assert ">82,5<" in svg and ">82.5<" not in svg and "U1: 82,5" in svg


def test_a_taller_row_keeps_the_rows_apart():
    """Three wrapped lines make the chart taller than one-line rows would."""
    short = str(bar_chart_svg([Bar(label="A", value=1)] * 2, title="t"))
    tall = str(bar_chart_svg([Bar(label=LONG + " " + LONG, value=1)] * 2, title="t"))
    height = lambda svg: float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg).group(1))  # noqa: E731
    assert height(tall) > height(short)
