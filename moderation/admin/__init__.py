from moderation.admin.routes import bp
from moderation.admin import set_aside  # noqa: F401  (adds its routes to bp)
from moderation.admin import accounts  # noqa: F401,E402  (its routes join the admin blueprint)
from moderation.admin import dead_letters as _dead_letters  # noqa: F401 (adds its routes to bp)
from moderation.admin import webhook_secrets as _webhook_secrets  # noqa: F401 (adds its routes to bp)
from moderation.admin import webhook_test as _webhook_test  # noqa: F401 (adds its route to bp)
from moderation.admin import members  # noqa: F401  (adds its routes to bp)
from moderation.admin import models as _models  # noqa: F401,E402  (adds /admin/models to bp)
from moderation.admin import backtest as _backtest  # noqa: F401  (adds its routes to bp)
from moderation.admin import thresholds as _thresholds  # noqa: F401  (adds its routes to bp)
from moderation.admin import model_health  # noqa: F401  (shadow and drift pages, the drift banner)
from moderation.admin import training as _training  # noqa: F401  (adds its routes to bp)
from moderation.admin import operations as _operations  # noqa: F401  (adds /admin/operations to bp)
from moderation.admin import version_effect as _version_effect  # noqa: F401  (adds /admin/models/effect to bp)

__all__ = ["bp"]
from moderation.admin import rules as _rules  # noqa: F401  (a site's rules and stories)
from moderation.admin import decision_report as _decision_report  # noqa: F401,E402  (adds /admin/decisions to bp)
from moderation.admin import sign_in_reversal as _sign_in_reversal  # noqa: F401,E402  (the audit log's reversal)
