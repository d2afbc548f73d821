"""The portal's URLs plus one view that fails, to see the 500 page (tests/test_krets_errors.py)."""

from django.urls import path

from krets.rights import login_only
from krets.urls import handler403, handler404, handler429, handler500, urlpatterns  # noqa: F401


@login_only
def fails(request):
    raise RuntimeError("secret detail from deep inside")


urlpatterns = [*urlpatterns, path("fel/", fails, name="fails")]
