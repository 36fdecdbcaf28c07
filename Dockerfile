# One image for web, worker, trainer and beat; docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY moderation moderation
COPY workers workers
COPY classifiers classifiers
COPY models models
# Compiled here: PYTHONDONTWRITEBYTECODE would have every container compile our modules at start.
RUN pip install --upgrade pip && pip install -e . && python -m compileall -q moderation classifiers workers \
    && useradd --system --home /app moderation && mkdir -p /app/var && chown -R moderation /app
USER moderation
EXPOSE 8080
CMD ["moderation", "web"]
