# Cookbook "Flow API": chained .add(), needs, .needs([...], name=), .needs_all(), parallel + polling, plot.
import os
import tempfile

from jina import Document, Executor, Flow, requests


class Tag(Executor):
    @requests
    def tag(self, docs, **kwargs):
        for d in docs:
            d.tags[self.runtime_args.name] = self.runtime_args.shard_id


f = (Flow()
     .add(name='p1', needs='gateway', uses=Tag)
     .add(name='p2', needs='gateway', uses=Tag)
     .add(name='p3', needs='gateway', uses=Tag, parallel=3, polling='ALL')
     .needs(['p1', 'p2', 'p3'], name='r1'))

svg = os.path.join(tempfile.mkdtemp(), 'f.svg')
f.plot(svg)
assert open(svg).read().lstrip().startswith('<'), 'plot wrote no SVG'

with f:
    resp = f.post('/', Document(id='a'), return_results=True)[0]

# r1 joins p1, p2 and the three shards of p3 (polled ALL): the document arrives five times.
assert len(resp.docs) == 5, resp.json()
assert sorted(r.executor for r in resp.routes) == ['p1', 'p2', 'p3', 'r1'], resp.json()

g = Flow().add().add().add().add()
with g:
    assert g.post('/', Document(), return_results=True)[0].status.code == 0

h = (Flow().add(name='p1', needs='gateway').add(name='p2', needs='gateway').needs_all(name='r1'))
with h:
    assert len(h.post('/', Document(), return_results=True)[0].docs) == 2
