FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk graphviz curl \
    tesseract-ocr tesseract-ocr-chi-sim poppler-utils \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY refusal_cases refusal_cases
COPY procedure procedure
COPY agencies agencies
COPY workflow workflow
COPY documents documents
COPY outbox outbox
RUN pip install .
COPY . .
RUN python manage.py collectstatic --noinput -v0 \
 && useradd --system --home /app app && mkdir -p /data/media && chown -R app /data
USER app
ENV MEDIA_ROOT=/data/media
EXPOSE 8000
# No access log: the application writes one JSON line per request itself.
CMD ["gunicorn", "refusal_cases.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
