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
