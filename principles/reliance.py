"""How many live decisions rested on a wording: the framework's diff shows it beside each
changed provision. Decisions are kept by apps above this one, so the app that keeps them
says how to count, as it starts (`count_with`, from its AppConfig.ready)."""

from collections.abc import Callable, Iterable
from dataclasses import replace

from principles.choices import Change
from principles.diff import ProvisionChange

# (the provision texts, the reader) -> {text id: live decisions the reader may see on it}
_counter: list[Callable] = []


def count_with(counter: Callable[..., dict[int, int]]) -> None:
    _counter[:] = [counter]


def with_reliance(changes: Iterable[ProvisionChange], user) -> list[ProvisionChange]:
    """The changes, each changed or retired one with how many live decisions rested on its
    old wording, as far as `user` may see."""
    changes = list(changes)
    old = [c.old for c in changes if c.old is not None and c.change in (Change.CHANGED, Change.RETIRED)]
    if not _counter or not old:
        return changes
    counts = _counter[0](old, user)
    return [
        replace(c, rested_on=counts.get(c.old.pk, 0)) if c.old is not None and c.change != Change.UNCHANGED else c
        for c in changes
    ]
