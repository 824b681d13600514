#!/usr/bin/env python3
"""A complete jina executor in Python's standard library: upper-cases each document's text.

Run it in a Flow with `uses: exec://examples/executors/upper.py` (see docs/protocol.md).
"""
import json, struct, sys

inp, out = sys.stdin.buffer, sys.stdout.buffer


def send(header, body=b''):
    head = json.dumps(header).encode()
    out.write(struct.pack('>II', len(head), len(body)) + head + body)
    out.flush()


def read(n):
    data = inp.read(n)
    return data if len(data) == n else None


send({'v': 1, 'kind': 'hello', 'name': 'upper-py', 'endpoints': ['/default']})
while (sizes := read(8)) is not None:
    header_len, body_len = struct.unpack('>II', sizes)
    header, body = json.loads(read(header_len)), read(body_len) or b''
    if header['kind'] == 'goodbye':
        break
    if header['kind'] != 'call':
        continue
    try:
        docs = json.loads(body) if body else []
        for doc in docs:
            if 'text' in doc:
                doc['text'] = doc['text'].upper()
        send({'v': 1, 'kind': 'result', 'id': header['id'], 'count': len(docs)}, json.dumps(docs).encode())
    except Exception as e:
        send({'v': 1, 'kind': 'error', 'id': header['id'],
              'status': {'code': 1, 'description': f'{type(e).__name__}: {e}'}}, body)
