"""The `MessageReader` port: `parse_message` in a worker thread (a 10 MB message costs about a
second of CPU, which must not stall the event loop)."""

from __future__ import annotations

import asyncio

from helpdesk.adapters.mail.parsing import parse_message
from helpdesk.application.ports.mail import RawMessage
from helpdesk.domain.mail.message import InboundMessage


class ThreadedMessageReader:
    async def read(self, raw: RawMessage) -> InboundMessage:
        return await asyncio.to_thread(
            parse_message, raw.data, size=raw.size, truncated=raw.truncated
        )
