"""Calendar arithmetic in months and years, written once for every app (members is the
lowest floor that needs it: the retention period, the statistics' months, ages)."""

import calendar
import datetime


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier; the 31st of a shorter month becomes its last day."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_ends(today: datetime.date, months: int) -> list[datetime.date]:
    """The last day of each of the `months` months up to today's, oldest first; today stands
    for the current month's end."""
    return [min(month_end(months_before(today, back)), today) for back in reversed(range(months))]


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` years earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
