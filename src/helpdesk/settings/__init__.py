"""Configuration: defaults < `.env` file < environment < CLI flags, into one validated object.

Every setting is declared once, as a field of `Settings` (table.py); loading, the command-line
flags, masking and the documentation table are derived from those declarations. Invalid
settings raise `SettingsError` whose message is one line naming the variable or flag; the CLI
prints it and stops.
"""

from helpdesk.settings.loading import (
    SettingsError,
    environment_of,
    load_settings,
    unknown_variables,
    with_development_secret,
)
from helpdesk.settings.table import DEFAULT_DATABASE_URL, ROWS, Environment, Settings

__all__ = [
    "DEFAULT_DATABASE_URL",
    "ROWS",
    "Environment",
    "Settings",
    "SettingsError",
    "environment_of",
    "load_settings",
    "unknown_variables",
    "with_development_secret",
]
