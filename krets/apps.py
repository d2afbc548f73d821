from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class KretsConfig(AppConfig):
    name = "krets"
    verbose_name = "Kretsportalen"

    def ready(self):
        from . import error_pages, signals, versioned  # noqa: F401  (error references; audit of sign-ins)

        versioned.install()  # every write gives its tables new versions (the versioned cache)
        from .mail.signals import connect_anymail

        connect_anymail()  # an email service's bounce reports feed the suppression list

        # Each app may contribute panels to the overview page in its own overview.py.
        autodiscover_modules("overview")

        from .mail import kinds

        kinds.autodiscover()  # each app's mail_kinds.py registers the mail it sends

        from .mail import overview  # noqa: F401  (the panel of sends waiting for the server)
