"""Arabic helpdesk backend."""
