"""The classifier, loaded once per process and shared by the workers and the synchronous endpoints."""
from __future__ import annotations

import threading

from flask import Flask, current_app

from classifiers import DEFAULT_MODEL_PATH, CivilityModel, load_model

_lock = threading.Lock()


def get_model(app: Flask | None = None) -> CivilityModel:
    app = app or current_app._get_current_object()
    model = app.extensions.get("civility_model")
    if model is None:
        with _lock:
            model = app.extensions.get("civility_model")
            if model is None:
                model = load_model(app.config.get("MODEL_PATH") or DEFAULT_MODEL_PATH)
                app.extensions["civility_model"] = model
    return model
