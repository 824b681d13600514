# Cookbook "Pure Python: Flow-as-a-Service Style", the server half (run by flow_as_a_service.py).
import sys

from jina import Flow, Executor, requests


class MyExecutor(Executor):

    @requests(on='/bar')
    def foo(self, docs, **kwargs):
        for d in docs:
            d.text = 'served'


f = Flow(port_expose=int(sys.argv[1])).add(name='myexec1', uses=MyExecutor)

with f:
    print('serving', flush=True)
    f.block()
