from moderation.admin.routes import bp
from moderation.admin import set_aside  # noqa: F401  (adds its routes to bp)
from moderation.admin import members  # noqa: F401  (adds its routes to bp)

__all__ = ["bp"]
