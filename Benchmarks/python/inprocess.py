"""Runs documents through a Flow in this Python process the way a Python Jina 3 user does:
``Flow.load_config(...)``, ``with f:``, ``f.post(...)``.

usage: python inprocess.py FLOW_YML DOCS_JSONL [--request-size 100] [--prefetch N] [--endpoint /]
                           [--check-upper auto|yes|no]

FLOW_YML is a served-Flow YAML (``protocol: http`` and a port in its ``with:``); it is loaded with the
protocol overridden to gRPC (the Flow's default, what ``f.post`` uses in process) and a free port.
DOCS_JSONL has one ``{"id": ..., "text": ...}`` per line.

Times separately: start-up (entering ``with f:``), the documents (``f.post`` only) and shutdown
(leaving ``with``). Prints exactly one JSON line on stdout:

    {"docs": N, "startup_s": x, "post_s": y, "shutdown_s": z, "returned": M, "ready_monotonic": t}

(t: time.monotonic() when the Flow was ready: CLOCK_MONOTONIC, the clock the harness times the spawn on.)

Logs go to stderr. Exits 1 (after printing the line) when fewer or more documents come back than were
sent, or when the answers are not upper-cased where the Flow upper-cases.
"""
import argparse
import json
import logging
import os
import sys
import time

# Quiet and fast, as a benchmark should run Jina (the caller may set these too).
os.environ.setdefault('JINA_OPTOUT_TELEMETRY', '1')
os.environ.setdefault('JINA_LOG_LEVEL', 'ERROR')

# Jina prints its "Flow is ready to serve!" banner (and its executor processes may print) on stdout:
# file descriptor 1 goes to stderr for all of that, and the one JSON line goes to the real stdout.
_result_out = os.fdopen(os.dup(1), 'w')
os.dup2(2, 1)


def log(message):
    print(f'inprocess.py: {message}', file=sys.stderr, flush=True)


def expects_upper_case(flow_yaml):
    """auto: answers should be upper-cased when an executor is UpperCase and no executor joins
    several branches (a join merges the branches' documents by id, and which branch's `text` wins
    depends on arrival order)."""
    import yaml

    with open(flow_yaml) as f:
        config = yaml.safe_load(f) or {}
    executors = config.get('executors') or []
    upper = any(str(e.get('uses', '')) == 'UpperCase' for e in executors)
    joins = any(isinstance(e.get('needs'), list) and len(e['needs']) > 1 for e in executors)
    return upper and not joins


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('flow_yml')
    parser.add_argument('docs_jsonl')
    parser.add_argument('--request-size', type=int, default=100)
    parser.add_argument('--prefetch', type=int, default=None,
                        help='passed to f.post(prefetch=...): requests the client keeps in flight (default: Jina\'s own)')
    parser.add_argument('--endpoint', default='/')
    parser.add_argument('--check-upper', choices=['auto', 'yes', 'no'], default='auto')
    args = parser.parse_args()

    t = time.perf_counter()
    from docarray import DocList
    from docarray.documents import TextDoc
    from jina import Flow
    from jina.helper import random_port

    log(f'imports: {time.perf_counter() - t:.3f} s')

    docs = DocList[TextDoc]()
    with open(args.docs_jsonl) as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                docs.append(TextDoc(id=str(record['id']), text=record['text']) if 'id' in record
                                else TextDoc(text=record['text']))
    sent = len(docs)
    upper = args.check_upper == 'yes' or (args.check_upper == 'auto' and expects_upper_case(args.flow_yml))

    t = time.perf_counter()
    # The YAML's `with:` says protocol http and a port; in process the Flow runs its default, gRPC,
    # on a free port (so a served Flow still letting go of the YAML's port cannot collide).
    flow = Flow.load_config(args.flow_yml, uses_with={'protocol': 'grpc', 'port': random_port()})
    log(f'Flow.load_config: {time.perf_counter() - t:.3f} s')

    t = time.perf_counter()
    flow.__enter__()
    startup = time.perf_counter() - t
    ready_monotonic = time.monotonic()
    try:
        t = time.perf_counter()
        answer = flow.post(args.endpoint, inputs=docs, request_size=args.request_size, prefetch=args.prefetch,
                           return_type=DocList[TextDoc])
        post = time.perf_counter() - t
    except BaseException:
        flow.__exit__(*sys.exc_info())
        raise
    t = time.perf_counter()
    flow.__exit__(None, None, None)
    shutdown = time.perf_counter() - t

    returned = len(answer) if answer is not None else 0
    print(json.dumps({'docs': sent, 'startup_s': round(startup, 6), 'post_s': round(post, 6),
                      'shutdown_s': round(shutdown, 6), 'returned': returned,
                      'ready_monotonic': ready_monotonic}), file=_result_out, flush=True)
    log(f'{sent} docs in {post:.3f} s: {sent / post:,.0f} docs/s; start-up {startup:.3f} s, shutdown {shutdown:.3f} s')

    failed = False
    if returned != sent:
        log(f'FAILED: sent {sent} documents, {returned} came back')
        failed = True
    if upper and returned:
        lower = sum(1 for d in answer if d.text != (d.text or '').upper())
        if lower:
            log(f'FAILED: {lower} of {returned} answers are not upper-cased, e.g. {next(d.text for d in answer if d.text != d.text.upper())!r}')
            failed = True
        else:
            log('answers are upper-cased')
    return 1 if failed else 0


if __name__ == '__main__':
    logging.captureWarnings(True)
    sys.exit(main())
