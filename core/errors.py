class Conflict(Exception):
    """The request is well formed, but the record's state does not allow it (HTTP 409):
    editing a published revision, publishing twice. The message says why, for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
