# Cookbook "Minimum working example: Pure Python, All-in-one Style".
from jina import Flow, Document, Executor, requests

seen = []


class MyExecutor(Executor):

    @requests(on='/bar')
    def foo(self, docs, **kwargs):
        print(docs)


f = Flow().add(name='myexec1', uses=MyExecutor)

with f:
    f.post('/bar', inputs=Document(), on_done=print)
    f.post('/bar', inputs=Document(text='hi'), on_done=seen.append)

assert len(seen) == 1 and seen[0].docs[0].text == 'hi', seen
assert seen[0].status.code == 0 and seen[0].routes[0].executor == 'myexec1'
print('top-level code ran once')
