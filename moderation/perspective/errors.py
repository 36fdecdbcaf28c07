"""Errors in the Google API shape Perspective clients already parse:
{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}.
"""
from __future__ import annotations

from flask import Response, jsonify


class PerspectiveError(Exception):
    code = 400
    status = "INVALID_ARGUMENT"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}

    def to_response(self) -> Response:
        response = jsonify({"error": {"code": self.code, "message": self.message, "status": self.status}})
        response.status_code = self.code
        response.headers.update(self.headers)
        return response


class InvalidArgument(PerspectiveError):
    code = 400
    status = "INVALID_ARGUMENT"


class PermissionDenied(PerspectiveError):
    code = 403
    status = "PERMISSION_DENIED"


class ResourceExhausted(PerspectiveError):
    code = 429
    status = "RESOURCE_EXHAUSTED"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class NotFound(PerspectiveError):
    code = 404
    status = "NOT_FOUND"


class MethodNotAllowed(PerspectiveError):
    code = 405
    status = "METHOD_NOT_ALLOWED"


class Unavailable(PerspectiveError):
    code = 503
    status = "UNAVAILABLE"


class InternalError(PerspectiveError):
    code = 500
    status = "INTERNAL"
