from moderation.review.routes import bp
from moderation.review import authors  # noqa: F401  (adds the author page's routes to bp)

__all__ = ["bp"]
