"""Swedish formats for the whole portal: `13 dec 2026`, `5 okt`, `2026-12-13` in inputs.

Django's own `sv` formats spell months in full (`13 december 2026`), and the `M` specifier
that templates reached for instead capitalises the abbreviation (`13 Dec`). `N` gives the
abbreviations as Swedes write them, in lower case, and `mars`, `april`, `juni`, `juli` whole.
Use these names (`|date:"DATE_FORMAT"`) or the `krets_format` filters built on them
(`sv_date`, `sv_day`, `sv_datetime`), never a hand-written `M`.
"""

from django.conf.locale.sv.formats import *  # noqa: F403 (the rest of Django's sv formats)

DATE_FORMAT = "j N Y"  # 13 dec 2026
DATETIME_FORMAT = "j N Y H:i"  # 13 dec 2026 18:30
MONTH_DAY_FORMAT = "j N"  # 13 dec
YEAR_MONTH_FORMAT = "F Y"  # december 2026
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y-m-d"  # 2026-12-13: tables that sort, and every input
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1

# ISO only: Django's sv list also accepts the US `10/05/2026`, which a Swede means as 10 May.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%Y-%m-%d",
]
