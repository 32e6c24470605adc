"""The demo room sits on top: it imports the other rooms, and none of them imports it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
IMPORT = re.compile(r"^\s*(from|import)\s+marketplace\.demo\b|[\"']marketplace\.demo[.\"']", re.M)


def test_no_other_room_imports_the_demo_room():
    demo = ROOT / "marketplace" / "demo"
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("marketplace", "accounts", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if demo not in path.parents and IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    # settings.py names the app in INSTALLED_APPS; that is how Django finds its commands.
    assert offenders == ["marketplace/settings.py"]
