"""Inside an executor process (the binary's Python host) a user's module is imported for its
Executor classes; there, building or running a Flow must do nothing, or a script that posts to a
Flow at its top level would start Flows of its own in every executor."""
import sys

inside_executor = False


class Inert:
    """What Flow(...) and Client(...) give inside an executor: every call returns itself."""

    def __init__(self, kind):
        self._kind = kind

    def __getattr__(self, name):
        return lambda *args, **kwargs: self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __aiter__(self):
        return self

    async def __anext__(self):
        raise StopAsyncIteration

    def __iter__(self):
        return iter(())
