"""Exit 0 when the portal's /healthz answers 200, else 1: compose's health check of web and worker.

    python scripts/healthcheck.py [URL]     (default http://127.0.0.1:8000/healthz)

Standard library only. It sends the first of ALLOWED_HOSTS as Host (Django refuses other hosts)
and X-Forwarded-Proto: https, as the TLS proxy in front does, so SECURE_SSL_REDIRECT lets it in.
"""

import os
import sys
import urllib.error
import urllib.request


def main(url: str) -> int:
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    headers = {"X-Forwarded-Proto": "https"}
    if hosts and hosts[0] and hosts[0] != "*":
        headers["Host"] = hosts[0]
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read().decode(), error.code
    except OSError as error:
        print(f"{url}: {error}", file=sys.stderr)
        return 1
    print(body)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/healthz"))
