"""What a channel raises when a message could not be sent."""


class SendFailed(Exception):
    """The provider refused or did not answer; ``retry`` says whether trying again may help."""

    def __init__(self, reason: str, *, retry: bool):
        super().__init__(reason)
        self.retry = retry
