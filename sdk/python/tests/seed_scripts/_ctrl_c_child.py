# A script that is interrupted inside `with f:` (run by ctrl_c_stops_everything.py).
import time

from jina import Executor, Flow, requests


class E(Executor):
    @requests
    def f(self, docs, **kwargs):
        pass


with Flow().add(uses=E) as f:
    print('up', flush=True)
    time.sleep(60)
