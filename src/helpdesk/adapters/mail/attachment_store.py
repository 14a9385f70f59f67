"""The `AttachmentStore` port on the local filesystem (or any mounted volume).

Keys are made by the application from letters, digits, `-` and `/`; anything else, and any key
that would leave the root folder, is refused. A file is written to a temporary name and renamed,
so a reader never sees half a file and a retried write replaces the earlier one.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_-]{0,200}$")


class FilesystemAttachmentStore:
    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def _path(self, key: str) -> Path:
        if not _KEY.match(key) or ".." in key or "//" in key:
            raise ValueError(f"not an attachment key: {key!r}")
        return self._root / key

    async def put(self, key: str, content: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(key), content)

    async def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        with partial.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(path)
