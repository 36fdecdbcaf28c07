from moderation.api.routes import bp
from moderation.api import author_routes  # noqa: F401  (adds its routes to bp)
from moderation.api import comment_routes  # noqa: F401  (adds its routes to bp)
from moderation.api import erasure_routes  # noqa: F401  (adds its routes to bp)

__all__ = ["bp"]
