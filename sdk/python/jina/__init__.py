"""The part of Jina 2's Python API that executors use, for running Executor classes under the
Swift `jina` (its bundled Python executor host). No Python Jina is needed, or used.

    from jina import Executor, Document, DocumentArray, requests

Flows are run by the `jina` command, not from Python: `Flow` and `Client` are here only so that
executor modules written for Jina load (see _NotHere).
"""
import sys

from .document import Document, DocumentArray, NamedScore
from .executor import BaseExecutor, Executor, __default_endpoint__, requests

__version__ = '2.0.0'  # the Jina API level this mirrors
__all__ = ['Document', 'DocumentArray', 'NamedScore', 'Executor', 'BaseExecutor', 'requests',
           'Flow', 'Client', '__default_endpoint__']


class _NotHere:
    """Flows are run by the jina command. The cookbook builds and posts to a Flow at the top level
    of the module that defines the Executor; so that such a module loads unchanged, building one
    here only warns, and everything done with it does nothing."""

    def __init__(self, *args, **kwargs):
        print(f'warning: jina.{type(self).__name__}(...) does nothing inside an executor; run Flows with the jina command '
              f"(jina flow --uses flow.yml), and put such code under `if __name__ == '__main__':`", file=sys.stderr)

    def __getattr__(self, name):
        return lambda *args, **kwargs: self  # add, needs, plot, post, index, search, block...

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Flow(_NotHere):
    pass


class Client(_NotHere):
    pass
