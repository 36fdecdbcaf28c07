from moderation.perspective.routes import bp

__all__ = ["bp"]
