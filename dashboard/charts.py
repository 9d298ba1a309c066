"""The dashboard's charts as SVG drawn on the server: no script to load, nothing for the
CSP to allow, and a table beside each with the same numbers. Each group's colour passes
3:1 against white, and no reading depends on colour alone: every bar carries its total,
the legend names each colour, and the table holds every value."""

from dataclasses import dataclass

from dashboard.figures import Series, Spread

# USWDS colours of 3:1 or more against white, in the order groups take them.
PALETTE = ["#005ea2", "#c05600", "#2e8540", "#71767a", "#8b0a03", "#54278f"]
LABEL_WIDTH = 190
BAR_AREA = 380
ROW = 24
BAR = 16


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    title: str


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    series: Series
    bars: list[Bar]
    legend: list[tuple[str, str]]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar: int = BAR


def bars(series: Series) -> Chart:
    """A horizontal bar a row, its groups stacked, scaled to the largest total."""
    largest = max((series.total(n) for n in range(len(series.rows))), default=0) or 1
    scale = BAR_AREA / largest
    colour = {group: PALETTE[n % len(PALETTE)] for n, group in enumerate(series.groups)}
    drawn = []
    for n, label in enumerate(series.rows):
        x, segments = LABEL_WIDTH, []
        for group in series.groups:
            value = series.values[group][n]
            if value:
                segments.append(Segment(x, value * scale, colour[group], f"{label}: {value} {group.lower()}"))
                x += value * scale
        drawn.append(Bar(n * ROW, label, series.total(n), segments))
    legend = [(group, colour[group]) for group in series.groups] if len(series.groups) > 1 else []
    return Chart(series, drawn, legend, LABEL_WIDTH + BAR_AREA + 50, max(ROW, len(series.rows) * ROW))


@dataclass(frozen=True)
class Whisker:
    y: int
    spread: Spread
    lower: float
    upper: float
    median: float
    longest: float

    @property
    def box(self) -> float:
        return max(self.upper - self.lower, 2.0)  # a middle half of no width still shows


def spreads(found: list[Spread]) -> dict:
    """Each row's middle half as a box, its median a mark, a line to its longest wait."""
    longest = max((s.longest for s in found), default=0) or 1
    scale = BAR_AREA / longest

    def x(days: float) -> float:
        return LABEL_WIDTH + days * scale

    rows = [Whisker(n * ROW, s, x(s.lower), x(s.upper), x(s.median), x(s.longest)) for n, s in enumerate(found)]
    return {"rows": rows, "width": LABEL_WIDTH + BAR_AREA + 70, "height": max(ROW, len(rows) * ROW), "bar": BAR}
