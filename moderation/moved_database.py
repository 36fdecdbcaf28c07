"""A var dir whose embedded database moved to a real server says so, and commands there refuse it.

After "Moving off the embedded servers" the trial's var dir stayed where it was, and every admin
command typed without the service's environment (DATABASE_URL) went to the trial's database: a
leaked key "revoked", a reader "erased", each with a success message and exit 0, none applied
where the service runs (an operator's walk). `db dump` on the embedded database notes which file
it wrote; `db restore` of that very file into DATABASE_URL's database marks the var dir moved.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from moderation.private_files import open_private

LAST_DUMP = "last-dump.json"
MOVED = "moved.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(path: Path, value: dict[str, str]) -> None:
    # Owner-only and never through a symlink planted in the var dir (a security review).
    with open_private(path, nofollow=True) as out:
        out.write(json.dumps(value))


def note_dump(var_dir: Path, dump: Path) -> None:
    """The embedded database was dumped to `dump`: remember its hash."""
    _write(var_dir / LAST_DUMP, {"path": str(dump.resolve()), "sha256": _sha256(dump)})


def mark_moved_if_dumped_here(var_dir: Path, source: Path, target: str) -> bool:
    """`source`, restored into `target`, is this var dir's last dump: mark the var dir moved."""
    try:
        noted = json.loads((var_dir / LAST_DUMP).read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(noted, dict) or noted.get("sha256") != _sha256(source):
        return False
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    _write(var_dir / MOVED, {"to": target, "at": at, "dump": str(source.resolve())})
    return True


def moved_refusal(var_dir: Path) -> str | None:
    """Why this var dir's embedded database is not to be used, or None."""
    try:
        moved = json.loads((var_dir / MOVED).read_text())
        where, when = moved["to"], moved["at"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        where, when = "a real server", "an earlier day"
    return (f"DATABASE_URL is not set, and the embedded database in {var_dir} moved to {where} on {when}: set "
            "DATABASE_URL as the service has it (its environment file) to act on the service's data. To use "
            f"the old embedded database anyway, remove {var_dir / MOVED}")
