"""The exceptions of Jina 2 that user code catches (`from jina.excepts import ...`)."""


class RuntimeFailToStart(SystemError):
    """The Flow (or an executor in it) could not start."""


class BadClient(Exception):
    """The client could not reach the Flow, or got an answer it cannot read."""


class BadClientCallback(BadClient):
    """A callback (on_done, on_error, on_always) raised."""


class BadClientInput(BadClient):
    """The inputs cannot be turned into Documents."""


class FlowTopologyError(Exception):
    """The Flow's executors do not form a valid graph (a name used twice, an unknown `needs`)."""


class NoAvailablePortError(Exception):
    """No free port to listen on."""
