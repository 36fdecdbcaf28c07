"""gunicorn's access log with a request's path escaped: a %0A in it was written as a real line
break, so anyone could add a line that read as another client's request (a security review:
`GET /healthz%0A10.1.2.3 [...] "POST /admin/accounts/users/1/disable" 303`)."""
from __future__ import annotations

import re
from typing import Any

from gunicorn import glogging

# Control characters, the line and paragraph separators some log readers also break at, and the
# backslash itself: a typed "\x0a" read as an escaped line break (a re-check).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")


def escaped(value: str) -> str:
    return _UNPRINTABLE.sub(lambda m: "\\\\" if m.group() == "\\" else
                            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", value)


class AccessLogger(glogging.Logger):
    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("U", "m", "h", "r", "q", "f", "a", "{moderation.who}e"):
            if isinstance(atoms.get(name), str):
                atoms[name] = escaped(atoms[name])
        return atoms
