"""A light load generator for bench/e2e.py: an asyncio HTTP/1.1 client on keep-alive connections,
and the webhook endpoint in a process of its own.

It shares the machine with what it measures, so it should take as little of it as it can. With
`requests` in 32 threads and a threaded http.server beside them in one process, the bench took a
third of a core at 100 comments/s, and the webhooks' arrival times waited for that process's GIL.
Both clocks are time.monotonic(), which is one clock for every process on Linux.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FINAL = {"published", "held", "rejected", "approved"}
_NO_CONTENT = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"


@dataclass(frozen=True)
class Arrival:
    at: float           # time.monotonic() when the final-status webhook arrived
    status: str
    wall: float         # time.time() then
    received_at: float | None  # the event's received_at and scored_at, as epoch seconds
    scored_at: float | None


def _epoch(iso: str | None) -> float | None:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() if iso else None


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return await reader.readexactly(length) if length else b""


def _sink_main(port_out: Any, commands: Any, delay: float = 0.0) -> None:
    """The webhook endpoint's process: answers every POST 204 (after `delay` seconds, as a busy site's
    server would) and keeps the first final status per comment; answers the parent's requests for
    what arrived."""
    arrived: dict[str, Arrival] = {}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while (body := await _read_request(reader)) is not None:
                at, wall = time.monotonic(), time.time()
                comment = json.loads(body).get("comment", {}) if body else {}
                if comment.get("status") in FINAL and comment.get("site_comment_id") not in arrived:
                    arrived[comment["site_comment_id"]] = Arrival(
                        at, comment["status"], wall, _epoch(comment.get("received_at")),
                        _epoch(comment.get("scored_at")))
                if delay:
                    await asyncio.sleep(delay)
                writer.write(_NO_CONTENT)
        except asyncio.CancelledError:
            pass  # the bench is done: the worker's idle keep-alive connections end here
        writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        port_out.send(server.sockets[0].getsockname()[1])
        loop = asyncio.get_running_loop()
        while True:
            ids = await loop.run_in_executor(None, commands.recv)
            if ids is None:
                break
            commands.send({cid: arrived[cid] for cid in ids if cid in arrived})
        server.close()

    asyncio.run(serve())


class WebhookSink:
    """The site's webhook endpoint, in its own process; `arrivals(ids)` asks it what arrived."""

    def __init__(self, delay: float = 0.0) -> None:
        context = multiprocessing.get_context("spawn")  # nothing of this process's threads
        port_in, port_out = context.Pipe(duplex=False)
        self._commands, theirs = context.Pipe()
        self.process = context.Process(target=_sink_main, args=(port_out, theirs, delay), daemon=True)
        self.process.start()
        if not port_in.poll(30):
            raise RuntimeError("the webhook endpoint did not start")
        self.port = port_in.recv()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def arrivals(self, ids: list[str]) -> dict[str, Arrival]:
        self._commands.send(ids)
        return self._commands.recv()

    def close(self) -> None:
        self._commands.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer


class Poster:
    """POSTs JSON on up to `connections` keep-alive connections; at most that many in flight."""

    def __init__(self, host: str, port: int, api_key: str, *, connections: int = 16, timeout: float = 10.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = (f"Host: {host}:{port}\r\nAuthorization: Bearer {api_key}\r\n"
                        "Content-Type: application/json\r\n").encode()
        self.idle: asyncio.Queue[_Connection | None] = asyncio.Queue()
        for _ in range(connections):
            self.idle.put_nowait(None)  # a slot; connected on first use

    async def post(self, path: str, payload: Any) -> tuple[int, bytes]:
        """(status, body); status 0 when the request failed (refused, reset, timed out)."""
        body = json.dumps(payload).encode()
        request = (f"POST {path} HTTP/1.1\r\nContent-Length: {len(body)}\r\n".encode() + self.headers + b"\r\n"
                   + body)
        connection = await self.idle.get()
        try:
            for attempt in (1, 2):
                reused = connection is not None
                try:
                    if connection is None:
                        connection = _Connection(*await asyncio.wait_for(
                            asyncio.open_connection(self.host, self.port), self.timeout))
                    connection.writer.write(request)
                    status, answer, keep = await asyncio.wait_for(self._response(connection.reader), self.timeout)
                except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                    if connection is not None:
                        connection.writer.close()
                    connection = None
                    # The server closes a keep-alive connection idle past its limit (gunicorn: 2 s);
                    # like any HTTP client, send again on a new one when that is all that happened.
                    if attempt == 1 and reused and isinstance(error, (asyncio.IncompleteReadError, ConnectionError)):
                        continue
                    return 0, b""
                if not keep:
                    connection.writer.close()
                    connection = None
                return status, answer
            return 0, b""
        finally:
            self.idle.put_nowait(connection)

    @staticmethod
    async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, keep = 0, True
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                keep = False
        return status, await reader.readexactly(length), keep

    async def close(self) -> None:
        while not self.idle.empty():
            connection = self.idle.get_nowait()
            if connection is not None:
                connection.writer.close()
