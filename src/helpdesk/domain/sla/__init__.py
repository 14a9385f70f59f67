"""Service levels: business calendars, working time, SLA policies and the clock of a ticket."""
