"""Tests of the profiles plugin."""
