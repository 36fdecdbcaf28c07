from moderation.admin.routes import bp

__all__ = ["bp"]
