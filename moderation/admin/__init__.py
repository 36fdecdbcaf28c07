from moderation.admin.routes import bp
from moderation.admin import set_aside  # noqa: F401  (adds its routes to bp)
from moderation.admin import accounts  # noqa: F401,E402  (its routes join the admin blueprint)
from moderation.admin import dead_letters as _dead_letters  # noqa: F401 (adds its routes to bp)
from moderation.admin import webhook_secrets as _webhook_secrets  # noqa: F401 (adds its routes to bp)
from moderation.admin import members  # noqa: F401  (adds its routes to bp)
from moderation.admin import training as _training  # noqa: F401  (adds its routes to bp)

__all__ = ["bp"]
