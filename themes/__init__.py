"""Bundled themes."""
