"""Files that hold readers' texts or secrets (backups, label exports): readable by their owner
alone, whatever the umask. A privacy walk found `db dump` and `dataset export` files at 0644,
beside a `var/secret_key` at 0600, holding every comment and the webhook signing secrets."""
from __future__ import annotations

import os
from pathlib import Path
from typing import IO

PRIVATE = 0o600


def open_private(path: str | Path, *, nofollow: bool = False, **kwargs: object) -> IO[str]:
    """Open `path` to write text, created or truncated, mode 0600 (an existing file's mode too).
    `nofollow`: refuse a symlink at `path` (a file of the var dir's, which another user may reach)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | (os.O_NOFOLLOW if nofollow else 0)
    fd = os.open(path, flags, PRIVATE)
    try:
        os.fchmod(fd, PRIVATE)
    except OSError:
        os.close(fd)
        raise
    return os.fdopen(fd, "w", **kwargs)  # type: ignore[call-overload]


def make_private(path: str | Path) -> None:
    """An empty 0600 file at `path` for a program that writes it itself (pg_dump keeps the mode)."""
    open_private(path).close()
