"""A small line chart drawn as inline SVG: no chart library, nothing from a CDN."""

from django import template

register = template.Library()


@register.simple_tag
def growth_chart(points, width: int = 600, height: int = 160) -> dict:
    """Coordinates for a series of (month, value) points, scaled to the box."""
    top, bottom, left, right = 18, 20, 40, 10
    values = [value for _, value in points]
    high = max(values) if values else 0
    low = min(values) if values else 0
    span = (high - low) or 1
    step = (width - left - right) / max(len(points) - 1, 1)
    coords = [
        {
            "x": round(left + index * step, 1),
            "y": round(top + (high - value) / span * (height - top - bottom), 1),
            "month": month,
            "value": value,
        }
        for index, (month, value) in enumerate(points)
    ]
    return {
        "width": width,
        "height": height,
        "points": coords,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in coords),
        "max": high,
        "min": low,
        "baseline": height - bottom,
        "first": points[0][0] if points else "",
        "last": points[-1][0] if points else "",
    }
