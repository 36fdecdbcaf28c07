from moderation.review.routes import bp

__all__ = ["bp"]
