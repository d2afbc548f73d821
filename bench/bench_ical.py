"""The public iCalendar feed: median server time with 1 000 open meetings, queries per request
(the same with 100 meetings as with 1 000), and the time of a 304 to an unchanged poll.
"render" is a request right after a meeting changed (the feed is rendered anew); "cached" is
a request without conditional headers for an unchanged feed (served from the cache).

The feed does not grow with the member count, so BENCH_SCALE scales the number of meetings
(1.0 = 1 000). Meetings are created in a transaction that is rolled back at the end.
"""

import datetime
import statistics
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

ROUNDS = 15


class Rollback(Exception):
    pass


def _create(count: int, offset: int) -> None:
    from meetings.models import Kind, Meeting
    from meetings.services import local
    from members.models import District

    districts = list(District.objects.all()) or [District.objects.create(name="Sandviken")]
    start = datetime.date(2024, 1, 1)
    Meeting.objects.bulk_create(
        Meeting(
            kind=Kind.CHAPTER,
            title=f"Kretsmöte {offset + n}",
            starts_at=local(
                start + datetime.timedelta(days=(offset + n) % 1500), datetime.time(18, 30)
            ),
            ends_at=local(
                start + datetime.timedelta(days=(offset + n) % 1500), datetime.time(20, 30)
            ),
            district=districts[n % len(districts)],
            address="Bygdegården",
            status=Meeting.Status.DECIDED,
        )
        for n in range(count)
    )


def _measure(client: Client, url: str, *, touch=None, **headers) -> tuple[float, int, int]:
    """Median time, queries of the last request, its status. `touch` runs before each round."""
    times = []
    for _ in range(ROUNDS):
        if touch:
            touch()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, **headers)
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, len(queries), response.status_code


def run(scale: float) -> None:
    count = max(100, int(1000 * scale))
    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host without DEBUG settings changes
    url = reverse("meetings:feed")
    try:
        with transaction.atomic():
            from meetings.models import Meeting

            before = Meeting.objects.count()
            _create(100, 0)

            def change_one_meeting():  # every request then renders the feed anew
                Meeting.objects.filter(pk=Meeting.objects.order_by("-pk").values("pk")[:1]).update(
                    updated_at=timezone.now()
                )

            _ms, small_queries, _status = _measure(client, url, touch=change_one_meeting)
            _create(count - 100, 100)
            ms, queries, status = _measure(client, url, touch=change_one_meeting)
            assert status == 200
            cached_ms, cached_queries, status = _measure(client, url)
            etag = client.get(url)["ETag"]
            not_modified_ms, not_modified_queries, status = _measure(
                client, url, HTTP_IF_NONE_MATCH=etag
            )
            assert status == 304
            size = len(client.get(url).content)
            print(f"BENCH ical meetings={Meeting.objects.count() - before}")
            print(f"BENCH ical feed_render_median_ms={ms:.1f}")
            print(f"BENCH ical feed_render_queries={queries}")
            print(f"BENCH ical feed_render_queries_at_100={small_queries}")
            print(f"BENCH ical feed_cached_median_ms={cached_ms:.1f}")
            print(f"BENCH ical feed_cached_queries={cached_queries}")
            print(f"BENCH ical feed_bytes={size}")
            print(f"BENCH ical not_modified_median_ms={not_modified_ms:.2f}")
            print(f"BENCH ical not_modified_queries={not_modified_queries}")
            raise Rollback
    except Rollback:
        pass
