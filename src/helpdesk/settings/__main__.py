"""`python -m helpdesk.settings [DOC]`: regenerate the settings table in DOC
(docs/configuration.md by default)."""

from __future__ import annotations

import sys
from pathlib import Path

from helpdesk.settings.docs import regenerate

path = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/configuration.md")
print(f"{path}: {'table regenerated' if regenerate(path) else 'already up to date'}")
