"""The resilience suite's figures, tallied as its tests run and printed after them (see
tests/conftest.py), for the closing note of issue 15 and for whoever reads a CI log."""

from collections import defaultdict

FIGURES: dict[str, int] = defaultdict(int)


def add(name: str, count: int = 1) -> None:
    FIGURES[name] += count


ORDER = [
    "operations fuzzed",
    "roles fuzzed (with anonymous)",
    "operation × role pairs fuzzed",
    "requests fuzzed",
    "5xx answers",
    "schema violations",
    "notifications held back by the broker outage",
    "notifications delivered after it returned",
    "stale writes tried",
    "stale writes refused",
    "concurrent writers",
    "concurrent writers refused as stale",
    "tampering kinds tried",
    "tampering kinds detected",
    "outsider requests swept",
    "outsider requests showing restricted content",
]
