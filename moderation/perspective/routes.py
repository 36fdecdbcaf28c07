"""Routes of the perspective blueprint."""
from flask import Blueprint

bp = Blueprint("perspective", __name__, url_prefix="/v1alpha1")
