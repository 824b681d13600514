"""gRPC and WebSocket gateways, timed the same way on both engines (docs/benchmarks.md):

    .build/bench-venv/bin/python Benchmarks/python/gateway_protocols.py --jina .build/release/jina
    .build/bench-venv/bin/python Benchmarks/python/gateway_protocols.py --python-jina .build/bench-venv

Serves a chain of 3 trivial executors (upper-case → pass → pass: built-ins on `jina`, the Python
ones of executors.py on Python Jina 3.34) over gRPC and WebSocket, and drives it with one client
for both engines, grpcio and aiohttp from the virtualenv, with messages serialised before the clock:

- throughput: 20,000 documents in requests of 100 on one `jina.JinaRPC/Call` stream (or one
  WebSocket connection), all sent at once; docs/s from the first send to the last answer;
- latency: one-document requests one after another (`process_single_data`, or one message and
  its answer on one WebSocket connection), 1,000 of them or 20 s; p50 and p99 in ms.

Prints one JSON line per protocol. Every answer is checked (count and upper-cased text)."""
import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault('JINA_OPTOUT_TELEMETRY', '1')
os.environ.setdefault('JINA_LOG_LEVEL', 'ERROR')

import aiohttp  # noqa: E402
import grpc  # noqa: E402
from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from jina.clients.request import request_generator  # noqa: E402
from jina.proto import jina_pb2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
THROUGHPUT_DOCS, BATCH = 20_000, 100
LATENCY_REQUESTS, LATENCY_SECONDS = 1_000, 20


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def flow_yaml(engine, protocol, port):
    if engine == 'jina':
        executors = ['{name: e1, uses: UpperCase}', '{name: e2, uses: BaseExecutor}', '{name: e3, uses: BaseExecutor}']
    else:
        modules = f'py_modules: [{HERE}/executors.py]'
        executors = [f'{{name: e1, uses: UpperCase, {modules}}}', f'{{name: e2, uses: PassThrough, {modules}}}',
                     f'{{name: e3, uses: PassThrough, {modules}}}']
    lines = ['jtype: Flow', 'with:', f'  protocol: {protocol}', f'  port: {port}', 'executors:']
    return '\n'.join(lines + [f'  - {e}' for e in executors]) + '\n'


def serialised(n_docs, n_per_request, prefix):
    """Requests as bytes, built by Jina's own request generator."""
    docs = DocList[TextDoc]([TextDoc(id=f'{prefix}{i}', text=f'doc {i}') for i in range(n_docs)])
    return [r.proto.SerializeToString() if hasattr(r, 'proto') else r.SerializeToString()
            for r in request_generator(exec_endpoint='/', data=docs, request_size=n_per_request)]


def check(answer_bytes):
    answer = jina_pb2.DataRequestProto()
    answer.ParseFromString(answer_bytes)
    assert answer.header.status.code == 0, answer.header.status
    docs = answer.data.docs.docs if answer.data.HasField('docs') else None
    if docs is None:
        from docarray.proto import DocListProto
        listing = DocListProto()
        listing.ParseFromString(answer.data.docs_bytes)
        docs = listing.docs
    for doc in docs:
        assert doc.data['text'].text.startswith('DOC '), doc
    return len(docs)


async def grpc_run(port):
    options = [('grpc.max_send_message_length', -1), ('grpc.max_receive_message_length', -1)]
    async with grpc.aio.insecure_channel(f'127.0.0.1:{port}', options=options) as channel:
        call = channel.stream_stream('/jina.JinaRPC/Call')
        unary = channel.unary_unary('/jina.JinaSingleDataRequestRPC/process_single_data')
        warm = serialised(BATCH, BATCH, 'w')
        check(await unary(warm[0]))
        requests = serialised(THROUGHPUT_DOCS, BATCH, 't')
        start = time.perf_counter()
        got = 0
        async for answer in call(iter(requests)):
            got += check(answer)
        seconds = time.perf_counter() - start
        assert got == THROUGHPUT_DOCS, got
        singles = serialised(LATENCY_REQUESTS, 1, 'l')
        latencies = []
        deadline = time.perf_counter() + LATENCY_SECONDS
        for message in singles:
            t = time.perf_counter()
            check(await unary(message))
            latencies.append(time.perf_counter() - t)
            if time.perf_counter() > deadline:
                break
        return THROUGHPUT_DOCS / seconds, latencies


async def ws_run(port):
    url = f'ws://127.0.0.1:{port}/'
    async with aiohttp.ClientSession() as session:
        requests = serialised(THROUGHPUT_DOCS, BATCH, 't')
        async with session.ws_connect(url, protocols=('bytes',), max_msg_size=0) as ws:
            await ws.send_bytes(serialised(BATCH, BATCH, 'w')[0])
            check((await ws.receive()).data)
            start = time.perf_counter()
            for message in requests:
                await ws.send_bytes(message)
            got = 0
            while got < THROUGHPUT_DOCS:
                got += check((await ws.receive()).data)
            seconds = time.perf_counter() - start
            latencies = []
            deadline = time.perf_counter() + LATENCY_SECONDS
            for message in serialised(LATENCY_REQUESTS, 1, 'l'):
                t = time.perf_counter()
                await ws.send_bytes(message)
                check((await ws.receive()).data)
                latencies.append(time.perf_counter() - t)
                if time.perf_counter() > deadline:
                    break
            await ws.send_bytes(bytes(True))
        return THROUGHPUT_DOCS / seconds, latencies


def serve(command, directory, port):
    process = subprocess.Popen(command, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=0.2):
                break
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f'the Flow exited with {process.returncode}')
            time.sleep(0.2)
    time.sleep(1)  # Python Jina's port opens with its gateway; give the executors a moment too
    return process


def main():
    parser = argparse.ArgumentParser()
    engine = parser.add_mutually_exclusive_group(required=True)
    engine.add_argument('--jina', help='the jina binary (Swift)')
    engine.add_argument('--python-jina', help='a virtualenv with jina 3.34')
    parser.add_argument('--protocols', default='grpc,websocket')
    args = parser.parse_args()
    name = 'jina' if args.jina else 'python-jina'
    for protocol in args.protocols.split(','):
        directory = tempfile.mkdtemp(prefix='gateway-bench-')
        port = free_port()
        with open(os.path.join(directory, 'flow.yml'), 'w') as file:
            file.write(flow_yaml(name, protocol, port))
        command = [args.jina, 'flow', '--uses', 'flow.yml'] if args.jina else \
            [os.path.join(args.python_jina, 'bin', 'jina'), 'flow', '--uses', 'flow.yml']
        process = serve(command, directory, port)
        try:
            rate, latencies = asyncio.run(grpc_run(port) if protocol == 'grpc' else ws_run(port))
        finally:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
            shutil.rmtree(directory, ignore_errors=True)
        latencies.sort()
        print(json.dumps({'engine': name, 'protocol': protocol, 'docs_per_s': round(rate),
                          'p50_ms': round(statistics.median(latencies) * 1000, 2),
                          'p99_ms': round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
                          'latency_requests': len(latencies)}), flush=True)


if __name__ == '__main__':
    sys.exit(main())
