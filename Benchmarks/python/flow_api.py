"""The Python Flow API, timed the same way on both engines (docs/benchmarks.md):

    PYTHONPATH=sdk/python JINA_BIN=.../jina python3 Benchmarks/python/flow_api.py   # jina (Swift)
    .build/bench-venv/bin/python Benchmarks/python/flow_api.py                      # Python Jina 3.34

Prints one JSON line: `startup_s` (from `with Flow().add(uses=UpperCase)` to the first post
answered) and `docs_per_s` (10,000 one-line documents, 100 per request, through a chain of three
Python executors: upper-case, pass, pass)."""
import json
import sys
import time

import jina
from jina import Executor, Flow, requests

PYTHON_JINA = not jina.__version__.startswith('2.')
DOCS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000

if PYTHON_JINA:
    from docarray import DocList
    from docarray.documents import TextDoc

    def make_docs(n):
        return DocList[TextDoc]([TextDoc(text=f'doc {i}') for i in range(n)])

    class UpperCase(Executor):
        @requests
        def upper(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
            for d in docs:
                d.text = d.text.upper()

    class PassThrough(Executor):
        @requests
        def same(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
            return None
else:
    from jina import Document, DocumentArray

    def make_docs(n):
        return DocumentArray([Document(text=f'doc {i}') for i in range(n)])

    class UpperCase(Executor):
        @requests
        def upper(self, docs, **kwargs):
            for d in docs:
                d.text = d.text.upper()

    class PassThrough(Executor):
        @requests
        def same(self, docs, **kwargs):
            pass


def post(f, docs, **kwargs):
    if PYTHON_JINA:
        return f.post('/', inputs=docs, return_type=DocList[TextDoc], **kwargs)
    return [d for r in f.post('/', inputs=docs, return_results=True, **kwargs) for d in r.docs]


if __name__ == '__main__':
    start = time.perf_counter()
    with Flow().add(uses=UpperCase) as f:
        first = post(f, make_docs(1))
        startup = time.perf_counter() - start
    assert first[0].text == 'DOC 0', first
    docs = make_docs(DOCS)
    with Flow().add(uses=UpperCase).add(uses=PassThrough).add(uses=PassThrough) as f:
        start = time.perf_counter()
        out = post(f, docs, request_size=100)
        seconds = time.perf_counter() - start
    assert len(out) == DOCS and out[-1].text == f'DOC {DOCS - 1}', (len(out), out[-1].text)
    print(json.dumps({'engine': 'python-jina' if PYTHON_JINA else 'jina', 'startup_s': round(startup, 3),
                      'docs_per_s': round(DOCS / seconds)}))
