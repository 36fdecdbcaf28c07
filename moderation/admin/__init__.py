from moderation.admin.routes import bp
from moderation.admin import set_aside  # noqa: F401  (adds its routes to bp)
from moderation.admin import accounts  # noqa: F401,E402  (its routes join the admin blueprint)

__all__ = ["bp"]
