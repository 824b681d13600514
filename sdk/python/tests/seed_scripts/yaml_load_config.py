# Cookbook "Minimum working example: Pure Python + YAML": uses: MyExecutor found in this script.
import os
import tempfile

from jina import Flow, Document, Executor, requests


class MyExecutor(Executor):

    @requests(on='/bar')
    def foo(self, docs, **kwargs):
        for d in docs:
            d.text = 'seen by MyExecutor'


directory = tempfile.mkdtemp()
with open(os.path.join(directory, 'my.yml'), 'w') as fp:
    fp.write('jtype: Flow\nversion: \'1\'\nexecutors:\n  - name: myexec1\n    uses: MyExecutor\n')

f = Flow.load_config(os.path.join(directory, 'my.yml'))

with f:
    results = f.post('/bar', inputs=Document(), on_done=print, return_results=True)

assert results[0].docs[0].text == 'seen by MyExecutor', results[0].json()
