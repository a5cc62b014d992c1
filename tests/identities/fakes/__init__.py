"""Fake engine servers and small helpers for the engine tests."""
