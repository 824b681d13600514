#!/usr/bin/env python3
"""Checks a running `jina flow` (the Swift one) with the real Python Jina 3.x client, over HTTP,
gRPC or WebSocket (--protocol).

Not part of `swift test`: it needs `pip install jina` (see README.md beside this file).

    jina flow --uses flow.yml --port 12345 &        # a Flow whose executors upper-case text
    /tmp/jina-venv/bin/python Tests/interop/jina3_client_check.py --port 12345 --expect upper

Checks, each printed as PASS or FAIL (exit 0 only when all pass):
  - is_flow_ready() (GET /dry_run) is True;
  - post('/foo', docs) in several concurrent requests returns every doc, ids kept, in order,
    texts as --expect says (upper: upper-cased; same: unchanged);
  - return_responses=True gives one response per request with its request id and success status;
  - parameters reach the Flow and come back;
  - stream=False (gRPC: one process_single_data call per batch) returns every doc;
  - a float32 embedding, tags and nested chunks come back in their types;
  - a request over 4 MiB (gRPC's default limit) goes through (not over WebSocket: Jina's aiohttp
    client refuses answers over 4 MiB);
  - with --fail-text TEXT (a Flow with `Fail` whose `on_text` is TEXT): the failing request reaches
    on_error with the executor's message, continue_on_error keeps the other docs, and without
    either the client raises BadServer naming the executor.
"""
import argparse
import math
import os
import sys
import traceback

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")
os.environ.setdefault("JINA_LOG_LEVEL", "ERROR")

from typing import Optional  # noqa: E402

import numpy as np  # noqa: E402
from docarray import BaseDoc, DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from docarray.typing import NdArray  # noqa: E402
from jina import Client  # noqa: E402

RESULTS = []


def check(name, fn):
    try:
        detail = fn()
        RESULTS.append(True)
        print(f"PASS {name}" + (f": {detail}" if detail else ""))
    except Exception as e:  # noqa: BLE001 - report every failure and go on
        RESULTS.append(False)
        print(f"FAIL {name}: {type(e).__name__}: {e}")
        if os.environ.get("VERBOSE"):
            traceback.print_exc()


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--endpoint", default="/foo")
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--request-size", type=int, default=7)
    parser.add_argument("--expect", choices=["upper", "same"], default="upper")
    parser.add_argument("--fail-text", help="text that makes the Flow's Fail executor raise")
    parser.add_argument("--protocol", choices=["http", "grpc", "websocket"], default="http")
    args = parser.parse_args()

    from importlib.metadata import version
    print(f"jina {version('jina')}, docarray {version('docarray')}, python {sys.version.split()[0]}")
    client = Client(protocol=args.protocol, host=args.host, port=args.port)

    def transformed(text):
        return text.upper() if args.expect == "upper" else text

    def make_docs(n, prefix="d"):
        return DocList[TextDoc]([TextDoc(id=f"{prefix}{i:03d}", text=f"doc {i}") for i in range(n)])

    def ready():
        expect(client.is_flow_ready() is True, "is_flow_ready() is not True")

    def post_docs():
        docs = make_docs(args.docs)
        result = client.post(args.endpoint, docs, request_size=args.request_size, return_type=DocList[TextDoc],
                             results_in_order=True)
        expect(len(result) == args.docs, f"{len(result)} docs back, sent {args.docs}")
        expect([d.id for d in result] == [d.id for d in docs], f"ids differ or out of order: {[d.id for d in result][:5]}…")
        wanted = [transformed(d.text) for d in docs]
        expect([d.text for d in result] == wanted, f"texts {[d.text for d in result][:3]}…, wanted {wanted[:3]}…")
        return f"{len(result)} docs in {math.ceil(args.docs / args.request_size)} requests"

    def responses():
        docs = make_docs(20, "r")
        answers = client.post(args.endpoint, docs, request_size=5, return_type=DocList[TextDoc], return_responses=True)
        expect(len(answers) == 4, f"{len(answers)} responses, wanted 4")
        ids = []
        for answer in answers:
            expect(answer.header.request_id, "a response has no request_id")
            expect(answer.header.status.code == 0, f"status {answer.header.status}")
            ids += [d.id for d in answer.docs]
        expect(sorted(ids) == sorted(d.id for d in docs), "the responses do not hold every doc")

    def parameters():
        answers = client.post(args.endpoint, make_docs(2, "p"), parameters={"top_k": 3, "name": "x"},
                              return_type=DocList[TextDoc], return_responses=True)
        params = answers[0].parameters
        expect(params.get("top_k") == 3 and params.get("name") == "x", f"parameters came back as {params}")

    def errors():
        docs = DocList[TextDoc]([TextDoc(id="e0", text="fine"), TextDoc(id="e1", text=args.fail_text),
                                 TextDoc(id="e2", text="also fine")])
        failures = []
        result = client.post(args.endpoint, docs, request_size=1, return_type=DocList[TextDoc],
                             on_error=lambda response: failures.append(response), continue_on_error=True)
        expect(len(failures) == 1, f"on_error called {len(failures)} times, wanted 1")
        status = failures[0].header.status
        expect(status.code != 0 and status.description, f"the error status is {status}")
        returned = {d.id for d in result}
        expect({"e0", "e2"} <= returned, f"continue_on_error kept {sorted(returned)}")
        return status.description

    class Rich(BaseDoc):
        text: str = ""
        embedding: Optional[NdArray] = None
        tags: dict = {}
        chunks: DocList[TextDoc] = DocList[TextDoc]()

    def rich_fields():
        docs = DocList[Rich]([Rich(id="x0", text="rich", embedding=np.array([0.5, -1.25, 3], dtype=np.float32),
                                   tags={"n": 3, "f": 0.5, "ok": True, "nested": {"k": "v"}},
                                   chunks=DocList[TextDoc]([TextDoc(id="c0", text="chunk")]))])
        result = client.post(args.endpoint, docs, return_type=DocList[Rich])
        doc = result[0]
        expect(doc.id == "x0" and doc.text == transformed("rich"), f"got {doc.id} {doc.text!r}")
        # JSON has no dtype: over HTTP the embedding comes back as float64.
        wanted = np.float64 if args.protocol == "http" else np.float32
        expect(isinstance(doc.embedding, np.ndarray) and doc.embedding.dtype == wanted, f"embedding {doc.embedding!r}")
        expect(doc.embedding.tolist() == [0.5, -1.25, 3.0], f"embedding values {doc.embedding}")
        expect(doc.tags == {"n": 3, "f": 0.5, "ok": True, "nested": {"k": "v"}}, f"tags {doc.tags}")
        expect([c.id for c in doc.chunks] == ["c0"], f"chunks {doc.chunks}")

    def unary():
        docs = make_docs(9, "u")
        result = client.post(args.endpoint, docs, request_size=2, stream=False, return_type=DocList[TextDoc])
        expect(sorted(d.id for d in result) == sorted(d.id for d in docs), f"{len(result)} docs back")

    def large():
        text = "x" * (5 << 20)
        result = client.post(args.endpoint, DocList[TextDoc]([TextDoc(id="big", text=text)]), return_type=DocList[TextDoc])
        expect(len(result) == 1 and len(result[0].text) == len(text), "the 5 MiB doc did not come back whole")

    def target_executor():
        # `picky` would fail on this text; only `up` is targeted, so it goes through.
        result = client.post(args.endpoint, DocList[TextDoc]([TextDoc(id="t0", text=args.fail_text)]), target_executor="up",
                             return_type=DocList[TextDoc])
        expect([d.text for d in result] == [args.fail_text.upper()], f"got {[d.text for d in result]}")

    def callbacks():
        done, always = [], []
        client.post(args.endpoint, make_docs(6, "cb"), request_size=2, on_done=done.append, on_always=always.append,
                    return_type=DocList[TextDoc])
        expect(len(done) == 3 and len(always) == 3, f"on_done {len(done)}, on_always {len(always)} times, wanted 3")
        expect(sorted(d.id for r in done for d in r.docs) == [f"cb{i:03d}" for i in range(6)], "on_done missed documents")

    def gzip():
        result = client.post(args.endpoint, make_docs(4, "z"), compression="Gzip", return_type=DocList[TextDoc])
        expect(sorted(d.text for d in result) == sorted(transformed(f"doc {i}") for i in range(4)), f"got {[d.text for d in result]}")

    def bad_server():
        from jina.excepts import BadServer
        try:
            client.post(args.endpoint, DocList[TextDoc]([TextDoc(id="b0", text=args.fail_text)]), return_type=DocList[TextDoc])
        except BadServer as error:
            status = error.args[0].status if error.args and hasattr(error.args[0], "status") else None
            expect(status is None or status.exception.executor, f"the error names no executor: {status}")
            return str(status.description if status else error)[:80]
        raise AssertionError("no BadServer raised")

    check("is_flow_ready", ready)
    check("fields in their types", rich_fields)
    check("stream=False", unary)
    if args.protocol != "websocket":  # aiohttp's client refuses answers over 4 MiB (its max_msg_size)
        check("a 5 MiB request", large)
    check(f"post {args.endpoint}", post_docs)
    check("return_responses", responses)
    check("parameters", parameters)
    check("on_done and on_always", callbacks)
    if args.protocol == "grpc":
        check("gzip-compressed messages", gzip)
    if args.fail_text:
        check("executor error reaches on_error", errors)
        check("executor error raises BadServer", bad_server)
        check("target_executor", target_executor)
    print(f"{sum(RESULTS)} passed, {len(RESULTS) - sum(RESULTS)} failed")
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
