"""Where the shared data lies: ../shared beside the repository (read-only)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE_CORPUS = SHARED / "corpus"
