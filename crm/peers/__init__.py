"""Peer matching: multilingual concepts and the ranking of member cities for an incident (no Flask here)."""
