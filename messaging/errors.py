"""What a channel raises when a message could not be sent."""


class SendFailed(Exception):
    """The provider refused or did not answer; ``retry`` says whether trying again may help.
    ``http_status`` and ``call`` (the logged provider call) are set when there was an HTTP exchange."""

    def __init__(self, reason: str, *, retry: bool, http_status: int | None = None, call=None):
        super().__init__(reason)
        self.retry = retry
        self.http_status = http_status
        self.call = call
