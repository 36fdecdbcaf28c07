"""Building a configured app for a CLI command, starting embedded servers where no URL is set."""
from __future__ import annotations

from flask import Flask

from moderation.config import Config
from moderation.embedded import resolve_urls


def command_app(*, need_redis: bool = False) -> Flask:
    from moderation.app import create_app

    config = Config.from_env()
    resolve_urls(config, need_redis=need_redis)
    return create_app(config)
