"""Bundled scenario data (the Shangluo reference case)."""
