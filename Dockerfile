# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# WeasyPrint (the annual report's PDF) needs Pango and a font with å, ä, ö; the nightly backup
# needs pg_dump of the server's major version (bookworm's postgresql-client is 15).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# collectstatic needs settings that import; these values exist only for the build step.
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --no-input

RUN useradd --system --uid 1000 krets && mkdir -p /app/backups && chown -R krets /app
USER krets
EXPOSE 8000
CMD ["gunicorn", "krets.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
