# Executor cookbook: Executor.load_config of a YAML file, a YAML string and a class name, with
# uses_with; an Executor used directly, out of a Flow; save_config and loading it back.
import os
import tempfile

from jina import Document, DocumentArray, Executor, requests

directory = tempfile.mkdtemp()
with open(os.path.join(directory, 'm.py'), 'w') as fp:
    fp.write('from jina import Executor\n\n\nclass MyExec(Executor):\n'
             '    def __init__(self, bar, **kwargs):\n        super().__init__(**kwargs)\n        self.bar = bar\n')
with open(os.path.join(directory, 'e.yml'), 'w') as fp:
    fp.write('jtype: MyExec\nwith:\n  bar: 123\nmetas:\n  name: awesomeness\n  py_modules: [m.py]\n')


class Inline(Executor):
    def __init__(self, bar=0, **kwargs):
        super().__init__(**kwargs)
        self.bar = bar

    @requests
    def foo(self, docs, **kwargs):
        for d in docs:
            d.tags['bar'] = self.bar


e = Executor.load_config(os.path.join(directory, 'e.yml'))
assert type(e).__name__ == 'MyExec' and e.bar == 123 and e.metas.name == 'awesomeness', vars(e)
i = Executor.load_config('!Inline\nwith:\n  bar: 7\n')
assert isinstance(i, Inline) and i.bar == 7
j = Inline.load_config('Inline', uses_with={'bar': 9})
da = DocumentArray([Document()])
j.foo(da)
assert da[0].tags['bar'] == 9
k = Executor.load_config(j.save_config(os.path.join(directory, 'saved.yml')))
assert isinstance(k, Inline) and k.bar == 9, vars(k)
