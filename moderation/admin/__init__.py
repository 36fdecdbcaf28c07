from moderation.admin.routes import bp
from moderation.admin import dead_letters as _dead_letters  # noqa: F401 (adds its routes to bp)
from moderation.admin import webhook_secrets as _webhook_secrets  # noqa: F401 (adds its routes to bp)

__all__ = ["bp"]
