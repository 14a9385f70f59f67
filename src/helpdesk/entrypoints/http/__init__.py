"""The HTTP entrypoint. `create_app` is the ASGI app factory."""

from helpdesk.entrypoints.http.app import create_app

__all__ = ["create_app"]
