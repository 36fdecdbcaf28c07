"""What the integration tests that run the shipped model share: their marks and two comments whose
outcome under it is not in doubt."""

from __future__ import annotations

from pathlib import Path

import pytest

NEEDS_SHIPPED_MODEL = [
    pytest.mark.integration,
    pytest.mark.skipif(not (Path(__file__).resolve().parents[2] / "models" / "civility.skops").exists(),
                       reason="needs the shipped model at models/civility.skops"),
]
CIVIL = "Thank you for this careful reporting, I learned a lot about the council's budget."
ABUSIVE = "You are a worthless idiot and a stupid piece of shit, shut up."
