"""The e-mail channel's use cases: a message becomes a ticket or a comment (or is held,
refused or ignored), a pass over the mailbox, draining the outbox, and the channel's status."""
