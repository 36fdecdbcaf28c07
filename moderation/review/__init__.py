from moderation.review.routes import bp
from moderation.review import authors  # noqa: F401  (adds the author page's routes to bp)
from moderation.review import undo  # noqa: F401  (adds the undo and reverse routes to bp)
from moderation.review import bulk  # noqa: F401  (adds the bulk decision routes to bp)
from moderation.review import claims  # noqa: F401  (adds the claim and live-update routes to bp)
from moderation.review import context  # noqa: F401  (adds the card precedent fragment's route to bp)
from moderation.review import account  # noqa: F401  (adds the user's own account page to bp)
from moderation.review import author_file  # noqa: F401  (adds the author's file, a printable record, to bp)
from moderation.review import report_answers  # noqa: F401  (adds dismissing an approved comment's reports to bp)
from moderation.review import team_notes  # noqa: F401  (adds the team's notes on a comment to bp)

__all__ = ["bp"]
