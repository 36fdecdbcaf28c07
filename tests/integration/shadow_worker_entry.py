"""A worker entry (`celery -A shadow_worker_entry worker`) whose app's model provider has a shadow:
the model at $SHADOW_MODEL_PATH. Everything else is the provider the app built, if it built one,
so the test exercises workers/tasks.py's wiring as it is, before and after the registry."""
from __future__ import annotations

import os
import threading

from classifiers import load_model
from moderation.app import create_app


class WithShadow:
    def __init__(self, inner: object, path: str) -> None:
        self._inner, self._path, self._model, self._lock = inner, path, None, threading.Lock()

    def shadow(self):
        with self._lock:
            if self._model is None:
                self._model = load_model(self._path)
        return self._model

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


flask_app = create_app()
flask_app.extensions["models"] = WithShadow(flask_app.extensions.get("models"), os.environ["SHADOW_MODEL_PATH"])
celery = flask_app.extensions["celery"]
celery.conf.include = ["workers.tasks"]
