"""Trivial executors for the jina-bench Flow benchmarks (Python Jina 3.34, docarray v2).

Both are bound to every endpoint (``@requests`` with no ``on``) and typed
``DocList[TextDoc]`` in and out, so the HTTP gateway accepts and answers
``{"data": [{"id": "...", "text": "..."}]}``.
"""
from docarray import DocList
from docarray.documents import TextDoc
from jina import Executor, requests


class PassThrough(Executor):
    """Answers with the documents unchanged: returning None sends the request's docs on as they are."""

    @requests
    def pass_through(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        return None


class UpperCase(Executor):
    """Upper-cases each document's ``text`` in place."""

    @requests
    def upper_case(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        for doc in docs:
            if doc.text is not None:
                doc.text = doc.text.upper()
        return None
