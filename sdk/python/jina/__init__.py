"""Jina 2's Python API over the native `jina` binary: build and run Flows from Python
(`Flow().add(uses=MyExecutor)`, `with f: f.post(...)`), talk to served Flows (`Client`), and write
Executors (`Executor`, `requests`, `Document`, `DocumentArray`, `DocumentArrayMemmap`). No Python
Jina is needed, or used; the binary is found by JINA_BIN, else on PATH.

    from jina import Flow, Executor, Document, DocumentArray, requests
"""
from .clients import AsyncClient, Client
from .document import Document, DocumentArray, NamedScore
from .executor import BaseExecutor, Executor, __default_endpoint__, requests
from .flow import AsyncFlow, Flow
from .types.arrays.memmap import DocumentArrayMemmap
from .types.request import Response

__version__ = '2.0.0'  # the Jina API level this mirrors
__all__ = ['Document', 'DocumentArray', 'DocumentArrayMemmap', 'NamedScore', 'Executor', 'BaseExecutor', 'requests',
           'Flow', 'AsyncFlow', 'Client', 'AsyncClient', 'Response', '__default_endpoint__']
