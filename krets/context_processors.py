from django.conf import settings

from .navigation import navigation_for


def portal(request):
    rights = getattr(request, "rights", None)
    return {
        "rights": rights,
        "demo_mode": settings.KRETS_DEMO_MODE,
        "two_factor_enforced": settings.KRETS_REQUIRE_MFA,
        "navigation": navigation_for(request) if rights is not None else [],
    }
