"""A local stand-in for Supabase Auth's (GoTrue's) admin API, on a real socket, so that the
identity adapter's requests go over HTTP exactly as they would to Supabase."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SERVICE_KEY = "service-role-key-for-tests"


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


Answer = Callable[["GoTrue", BaseHTTPRequestHandler, dict[str, Any]], None]


class GoTrue:
    """Answers `POST /auth/v1/admin/users` (a create) and `PUT /auth/v1/admin/users/{id}` (an
    update) like GoTrue; `on_create` lets a test choose how a create is answered; `requests`
    records what was asked."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.on_create: Answer = GoTrue.created
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> Any:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = json.loads(raw) if raw else None
                stand_in.requests.append(Seen(self.command, self.path, dict(self.headers), body))
                return body

            def do_POST(self) -> None:
                body = self._record()
                if not stand_in.authorized(self):
                    stand_in.answer(self, 401, {"msg": "invalid JWT"})
                elif self.path != "/auth/v1/admin/users":
                    stand_in.answer(self, 404, {"msg": "not found"})
                else:
                    stand_in.on_create(stand_in, self, body)

            def do_PUT(self) -> None:
                body = self._record()
                if not stand_in.authorized(self):
                    stand_in.answer(self, 401, {"msg": "invalid JWT"})
                    return
                user_id = self.path.rsplit("/", 1)[-1]
                stand_in.answer(self, 200, {"id": user_id, **(body or {})})

            def log_message(self, *args: Any) -> None:
                pass  # keep the test output clean

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def authorized(handler: BaseHTTPRequestHandler) -> bool:
        return (
            handler.headers.get("apikey") == SERVICE_KEY
            and handler.headers.get("Authorization") == f"Bearer {SERVICE_KEY}"
        )

    @staticmethod
    def answer(handler: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def created(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        user = {"id": body.get("id") or str(uuid.uuid4()), "email": body["email"]}
        self.answer(handler, 200, {**user, "role": "authenticated", "aud": "authenticated"})
