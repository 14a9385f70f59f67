"""E-mail adapters: MIME parsing, the IMAP mailbox, the SMTP sender, outgoing rendering."""
