"""What every app builds on and that knows none of them: the roles' names, the refusal a
record's state makes (Conflict), transaction locks, and the append-only queryset."""
