"""Entry point for gunicorn: `gunicorn --preload moderation.wsgi:app`."""
import logging

from moderation.app import create_app
from moderation.scorer import preload

app = create_app()
try:
    # With --preload this runs once, before forking, so every web worker shares the loaded model.
    preload(app)
except Exception:  # the API still accepts comments; the synchronous endpoints answer 503 until it loads
    logging.getLogger(__name__).exception("could not load the classifier at start")
