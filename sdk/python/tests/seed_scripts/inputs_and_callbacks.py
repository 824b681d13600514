# Cookbook "Send Data Request via post": inputs of every kind, callbacks, parameters, CRUD sugar.
from jina import Document, DocumentArray, Executor, Flow, requests


class Echo(Executor):
    @requests
    def echo(self, docs, parameters, **kwargs):
        for d in docs:
            d.tags['hello'] = parameters.get('hello')
            if d.text == 'explode':
                raise ValueError('exploded on purpose')


d1 = Document(content='hello')
d2 = Document(content='world')


def doc_gen():
    for j in range(10):
        yield Document(content=f'hello {j}')


counts = []
with Flow().add(uses=Echo) as f:
    f.post('/', d1, on_done=lambda r: counts.append(len(r.docs)))  # Single document
    f.post('/', [d1, d2], on_done=lambda r: counts.append(len(r.docs)))  # a list of Document
    f.post('/', doc_gen, on_done=lambda r: counts.append(len(r.docs)))  # Document generator
    f.post('/', DocumentArray([d1, d2]), on_done=lambda r: counts.append(len(r.docs)))  # DocumentArray
    f.post('/', on_done=lambda r: counts.append(len(r.docs)))  # empty
    assert counts == [1, 2, 10, 2, 0], counts

    got = f.post('/', Document(), parameters={'hello': 'world'}, return_results=True)
    assert got[0].docs[0].tags['hello'] == 'world'
    assert f.post('/', parameters={'hello': 'world'}, return_results=True)[0].status.code == 0

    sizes = [len(r.docs) for r in f.index(doc_gen, request_size=4, return_results=True)]
    assert sizes == [4, 4, 2], sizes

    events = []
    f.post('/', Document(text='explode'), on_done=lambda r: events.append('done'),
           on_error=lambda r: events.append(('error', r.status.exception.executor, r.status.description)),
           on_always=lambda r: events.append('always'))
    assert events[0][0] == 'error' and 'exploded on purpose' in events[0][2] and events[1] == 'always', events
    assert f.post('/', Document(), return_results=True) is not None
    assert f.post('/', Document()) is None
