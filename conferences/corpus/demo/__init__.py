"""The demo: the seed article (the one real text the project ships) and its metadata."""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
