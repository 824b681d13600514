# Cookbook "Pure Python: Flow-as-a-Service Style": a Flow served by one process, used by another
# through Client(port_expose=...); Ctrl-C (SIGINT) on the server's script stops its Flow and its
# executors too.
import os
import signal
import socket
import subprocess
import sys
import time

from jina import Client, Document

with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]

def default_signals():
    """As from a shell: a test harness may have started us with SIGINT ignored or blocked, which
    children inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


server = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), '_service_server.py'), str(port)],
                          stdout=subprocess.PIPE, preexec_fn=default_signals)
try:
    assert server.stdout.readline().strip() == b'serving'
    got = []
    c = Client(port_expose=port)
    c.post('/bar', inputs=Document(), on_done=print)
    c.post('/bar', inputs=Document(), on_done=got.append)
    assert got[0].docs[0].text == 'served', got[0].json()
finally:
    server.send_signal(signal.SIGINT)
    assert server.wait(timeout=30) is not None
# The server's executors went with it: nothing listens on the port any more.
time.sleep(0.2)
with socket.socket() as s:
    assert s.connect_ex(('127.0.0.1', port)) != 0, 'the Flow outlived its script'
