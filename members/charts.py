"""Small charts as inline SVG, drawn on the server: nothing to load, nothing from a CDN."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def with_numbers(svg: str, points: list[tuple[str, float]], *, label: str, unit: str = "") -> str:
    """The chart for the eye and its numbers as a table for a screen reader or a closer look."""
    rows = "".join(
        f'<tr><th scope="row">{escape(name)}</th>'
        f'<td class="text-end">{value:g}{escape(unit)}</td></tr>'
        for name, value in points
    )
    return (
        f'<figure class="chart mb-0">{svg}<details><summary>{escape(_("Siffrorna"))}</summary>'
        f'<table class="table table-sm mb-0">'
        f'<caption class="visually-hidden">{escape(label)}</caption>'
        f'<thead><tr><th scope="col">{escape(_("Vad"))}</th><th scope="col" class="text-end">'
        f"{escape(_('Antal'))}</th></tr></thead><tbody>{rows}</tbody></table></details></figure>"
    )


def bar_chart(
    items: list[tuple[str, float]], *, width: int = 480, unit: str = "", label: str = ""
) -> SafeString:
    """Horizontal bars with the label left and the value right of each bar."""
    bar_height, gap, label_width, value_width = 18, 6, 120, 60
    height = max(1, len(items)) * (bar_height + gap)
    top = max((value for _, value in items), default=0) or 1
    span = width - label_width - value_width
    rows = []
    for index, (label, value) in enumerate(items):
        y = index * (bar_height + gap)
        length = max(1, round(span * value / top)) if value else 0
        rows.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="#009933"><title>{escape(label)}: {value:g}{escape(unit)}</title></rect>'
            f'<text x="{label_width + length + 4}" y="{y + 13}">{value:g}{escape(unit)}</text>'
        )
    label = label or _("Stapeldiagram")
    svg = (
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="krets-chart" '
        f'aria-label="{escape(label)}" font-size="12" font-family="sans-serif">'
        f"{''.join(rows)}</svg>"
    )
    return mark_safe(with_numbers(svg, items, label=label, unit=unit))


def line_chart(
    points: list[tuple[str, float]], *, width: int = 640, height: int = 200, label: str = ""
) -> SafeString:
    """A line over time with the first, middle and last labels under it."""
    if not points:
        return mark_safe("")
    # The axis starts at zero so that a small change looks small.
    left, right, bottom, top_pad = 50, 30, 20, 10
    values = [value for _, value in points]
    low, high = 0, max(values)
    span_y = (high - low) or 1
    step = (width - left - right) / max(1, len(points) - 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        y = top_pad + (height - bottom - top_pad) * (1 - (value - low) / span_y)
        return left + index * step, y

    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
    labels = []
    for index in sorted({0, len(points) // 2, len(points) - 1}):
        x, _ = xy(index, values[index])
        labels.append(
            f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle">'
            f"{escape(points[index][0])}</text>"
        )
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#006622"><title>'
        f"{escape(points[i][0])}: {values[i]:g}</title></circle>"
        for i, (x, y) in enumerate(xy(i, v) for i, v in enumerate(values))
    )
    label = label or _("Linjediagram")
    svg = (
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="krets-chart" '
        f'aria-label="{escape(label)}" font-size="11" font-family="sans-serif">'
        f'<text x="{left - 4}" y="{top_pad + 8}" text-anchor="end">{high:g}</text>'
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">{low:g}</text>'
        f'<polyline points="{path}" fill="none" stroke="#009933" stroke-width="2"/>'
        f"{dots}{''.join(labels)}</svg>"
    )
    return mark_safe(with_numbers(svg, points, label=label))


# Charts for the other floors (dues, goals, newsletters). Drawn 360 units wide, about a phone's
# width in CSS pixels, so that their 12-unit text stays readable at 375 px; `.chart` caps the width
# on a wide screen. Colours pass 3:1 against white for graphics (WCAG 1.4.11): green #006b2d,
# grey #6c757d; text is the page's own colour. No style attributes: the CSP forbids them.
CHART_WIDTH = 360
GREEN = "#006b2d"
GREY = "#6c757d"
TRACK = "#e9ecef"


def numbers_table(label: str, headers: list[str], rows: list[list[str]]) -> str:
    """The chart's numbers: the first column names each row, the others are right-aligned."""
    head = "".join(
        ('<th scope="col" class="text-end">' if i else '<th scope="col">') + f"{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f'<td class="text-end">{escape(cell)}</td>' for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f"<details><summary>{escape(_('Siffrorna'))}</summary>"
        f'<div class="table-responsive"><table class="table table-sm mb-0">'
        f'<caption class="visually-hidden">{escape(label)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>"
    )


def _figure(svg: str, *, label: str, summary: str, table: str, testid: str) -> SafeString:
    # The summary, a sentence under the heading, is the text alternative everyone meets first;
    # the svg is named by `label`, and the table under it holds every number.
    return mark_safe(
        f'<figure class="chart chart-narrow mb-3" data-testid="{escape(testid)}">'
        f'<figcaption class="small">{escape(summary)}</figcaption>{svg}{table}</figure>'
    )


def _svg(height: int, label: str, body: str) -> str:
    return (
        f'<svg viewBox="0 0 {CHART_WIDTH} {height}" width="100%" role="img" class="krets-chart" '
        f'aria-label="{escape(label)}" font-size="12" font-family="sans-serif" '
        f'fill="currentColor">{body}</svg>'
    )


def cumulative_chart(
    months: list[str],
    values: list[float],
    *,
    ceiling: float,
    label: str,
    summary: str,
    value_name: str,
    ceiling_name: str,
    fmt=lambda value: f"{value:g}",
    testid: str = "chart",
) -> SafeString:
    """A running total month by month (`values` may stop before the last month: the months
    still to come) under a dashed line for what it should reach."""
    height, left, right, top, bottom = 200, 8, 8, 24, 22
    high = max([ceiling, *values, 0]) or 1
    step = (CHART_WIDTH - left - right) / max(1, len(months) - 1)

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / high)

    parts = [
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{CHART_WIDTH - right}" y2="{y(0):.1f}" '
        f'stroke="{GREY}"/>',
        f'<line x1="{left}" y1="{y(ceiling):.1f}" x2="{CHART_WIDTH - right}" '
        f'y2="{y(ceiling):.1f}" stroke="{GREY}" stroke-width="1.5" stroke-dasharray="6 4"/>',
        f'<text x="{left}" y="{y(ceiling) - 5:.1f}">{escape(ceiling_name)}: '
        f"{escape(fmt(ceiling))}</text>",
    ]
    for index, month in enumerate(months):
        parts.append(
            f'<text x="{left + index * step:.1f}" y="{height - 6}" text-anchor="middle" '
            f'font-size="11">{escape(month[:1])}</text>'
        )
    if values:
        points = " ".join(f"{left + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{GREEN}" stroke-width="2.5"/>'
        )
        parts.extend(
            f'<circle cx="{left + i * step:.1f}" cy="{y(v):.1f}" r="3" fill="{GREEN}">'
            f"<title>{escape(months[i])}: {escape(fmt(v))}</title></circle>"
            for i, v in enumerate(values)
        )
    rows = [
        [month, fmt(values[i]) if i < len(values) else "–", fmt(ceiling)]
        for i, month in enumerate(months)
    ]
    table = numbers_table(label, [_("Månad"), value_name, ceiling_name], rows)
    return _figure(
        _svg(height, label, "".join(parts)),
        label=label,
        summary=summary,
        table=table,
        testid=testid,
    )


def progress_chart(
    items: list[dict],
    *,
    label: str,
    summary: str,
    headers: list[str],
    testid: str = "chart",
) -> SafeString:
    """One bar per item: how far `value` has come towards `target`, with a tick where it should
    be by now (`expected`, optional). Each item's `label` has a line of its own above the bar, so
    that long names fit a phone; its `text` (the numbers in words) stands right of the bar; `row`
    is its line in the table of numbers."""
    row_height, bar, text_width = 46, 14, 118
    height = max(1, len(items)) * row_height
    span = CHART_WIDTH - text_width - 2
    parts = []
    for index, item in enumerate(items):
        top = index * row_height
        target = item["target"] or 0
        share = min(1.0, item["value"] / target) if target else (1.0 if item["value"] else 0.0)
        name = item["label"] if len(item["label"]) <= 52 else item["label"][:51] + "…"
        parts.append(
            f'<text x="1" y="{top + 14}">{escape(name)}</text>'
            f'<rect x="1" y="{top + 20}" width="{span}" height="{bar}" fill="{TRACK}" '
            f'stroke="{GREY}" stroke-width="0.5"/>'
            f'<rect x="1" y="{top + 20}" width="{span * share:.1f}" height="{bar}" '
            f'fill="{GREEN}"><title>{escape(item["label"])}: {escape(item["text"])}</title></rect>'
            f'<text x="{CHART_WIDTH - 1}" y="{top + 32}" text-anchor="end" font-weight="bold">'
            f"{escape(item['text'])}</text>"
        )
        if item.get("expected") and target:
            x = 1 + span * min(1.0, item["expected"] / target)
            parts.append(
                f'<line x1="{x:.1f}" y1="{top + 17}" x2="{x:.1f}" y2="{top + 37}" '
                f'stroke="currentColor" stroke-width="2"/>'
            )
    table = numbers_table(label, headers, [item["row"] for item in items])
    return _figure(
        _svg(height, label, "".join(parts)),
        label=label,
        summary=summary,
        table=table,
        testid=testid,
    )
