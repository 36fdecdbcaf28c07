"""Errors in the Google API shape Perspective clients already parse:
{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}, with Perspective's
`details` where it gives them: clients decide on `details[].errorType` whether to skip a comment
(LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE) or treat the error as a failure.
"""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify

DETAIL_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"


class PerspectiveError(Exception):
    code = 400
    status = "INVALID_ARGUMENT"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None, error_type: str | None = None,
                 **detail: Any) -> None:
        """`error_type` and `detail` (one camelCase field and its object) become Perspective's one
        `details` entry, e.g. error_type="LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        languageNotSupportedByAttributeError={...}."""
        super().__init__(message)
        self.message = message
        self.headers = headers or {}
        self.details = [{"@type": DETAIL_TYPE, "errorType": error_type, **detail}] if error_type else []

    def to_response(self) -> Response:
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        response = jsonify({"error": error})
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

    def __init__(self, message: str, *, retry_after: int, limit: int | None = None) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after
        if limit is not None:  # a quota's refusal, with the details Google's carry: clients read retryDelay
            self.details = [
                {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
                 "domain": "googleapis.com", "metadata": {"service": "commentanalyzer.googleapis.com",
                                                          "quota_limit": "AnalysisRequestsPerMinutePerKey",
                                                          "quota_limit_value": str(limit)}},
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{retry_after}s"},
            ]


class NotFound(PerspectiveError):
    code = 404
    status = "NOT_FOUND"


class MethodNotAllowed(PerspectiveError):
    """HTTP's 405, with Allow; its status a google.rpc.Code name, as clients map it onto that enum
    (METHOD_NOT_ALLOWED is none): Google's own front end answers a wrong method "Method not found"."""
    code = 405
    status = "NOT_FOUND"


class Unavailable(PerspectiveError):
    code = 503
    status = "UNAVAILABLE"


class InternalError(PerspectiveError):
    code = 500
    status = "INTERNAL"
