"""Jina 2's `jina.executors` module path."""
from ..executor import BaseExecutor, Executor, __default_endpoint__, requests

__all__ = ['BaseExecutor', 'Executor', 'requests', '__default_endpoint__']
