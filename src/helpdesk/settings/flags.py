"""The global flags of `helpdesk`, one for each setting the table lets be a flag. Their text is
parsed by `load_settings` with the setting's own parser, like the environment's."""

from __future__ import annotations

import argparse
from typing import Any

from helpdesk.settings.table import ROWS

_DEST_PREFIX = "setting__"


def add_setting_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("settings (each overrides its environment variable)")
    for row in ROWS:
        if row.entry.flag:
            group.add_argument(
                row.flag,
                dest=_DEST_PREFIX + row.name,
                metavar="VALUE",
                help=f"{row.entry.variable}: {row.entry.kind.accepts}".replace("%", "%%"),
            )


def flag_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Field name → the text given on the command line, for the flags that were given."""
    return {
        name.removeprefix(_DEST_PREFIX): value
        for name, value in vars(args).items()
        if name.startswith(_DEST_PREFIX) and value is not None
    }
