"""E-mail as the domain sees it: the values a parsed message and an outgoing mail carry, and the
pure rules about them (titles from subjects, threading, automatic mail, attachments). No I/O:
reading MIME and talking to mail servers is the adapters' work."""
