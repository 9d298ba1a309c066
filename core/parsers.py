"""The API's JSON parser: DRF's, refusing with a 400 what it would take and a view would then
choke on."""

import math

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Casebook's deepest body (a decision's conditions and citations) nests three levels.
MAX_DEPTH = 20


class StrictJSONParser(JSONParser):
    """Refuses JSON nested deeper than MAX_DEPTH (Python's parser would exhaust its stack on
    it) and numbers too large for a float (1e400 parses as infinity)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.") from None
        _check(data)
        return data


def _check(data) -> None:
    waiting = [(data, 1)]
    while waiting:
        value, depth = waiting.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise ParseError("JSON parse error - a number is too large.")
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.")
            children = value.values() if isinstance(value, dict) else value
            waiting.extend((child, depth + 1) for child in children)
