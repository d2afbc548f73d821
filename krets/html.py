"""Looking into HTML that people write (newsletters)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings


class _ImageSources(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "img":
            return
        for name, value in attrs:
            if name == "src" and value:
                self.sources.append(value.strip())
            elif name == "srcset" and value:
                self.sources.extend(part.split()[0] for part in value.split(",") if part.strip())


def remote_images(html: str) -> list[str]:
    """The image addresses in `html` that point off the portal (SITE_URL): a mail or the public
    archive would load them from elsewhere, telling that site who read the newsletter."""
    site = urlsplit(settings.SITE_URL)
    parser = _ImageSources()
    parser.feed(html)
    parser.close()
    remote = []
    for source in parser.sources:
        parts = urlsplit(source)
        if parts.scheme in ("", "data", "cid") and not parts.netloc:
            continue  # a path on the portal, an inline image, or a mail attachment
        if parts.scheme in ("http", "https") and parts.netloc.lower() == site.netloc.lower():
            continue
        remote.append(source)
    return remote
