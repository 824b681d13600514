"""jina_executor_host.py driven as a Flow drives it: a subprocess, real frames on its stdin/stdout."""
import json
import os
import struct
import subprocess
import sys
import tempfile
import textwrap
import unittest

HOST = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'jina_executor_host.py')
# No __pycache__ left in the source tree or the test directories.
os.environ['PYTHONDONTWRITEBYTECODE'] = '1'

EXECUTORS = '''
from jina import Executor, DocumentArray, Document, requests
from helper import shout  # a sibling module: the module's directory is on sys.path


class Upper(Executor):
    def __init__(self, suffix='', **kwargs):
        super().__init__(**kwargs)
        self.suffix = suffix

    @requests(on='/index')
    def upper(self, docs, parameters, **kwargs):
        print('this print must not reach stdout')
        for d in docs:
            d.text = shout(d.text) + self.suffix
            d.tags['param'] = parameters.get('param')

    @requests(on='/ids')
    def ids(self, docs, **kwargs):
        return DocumentArray([Document(id=d.id) for d in docs])

    @requests(on='/fail')
    def fail(self, docs, **kwargs):
        raise ValueError('bad doc ' + docs[0].id)

    @requests(on='/join')
    def join(self, docs, docs_matrix, **kwargs):
        for d in docs:
            d.tags['matrix'] = [len(m) for m in docs_matrix] if docs_matrix else None

    @requests(on='/few')
    def few(self, docs):  # no **kwargs: only docs is passed
        docs.append(Document(id='added'))


class Where(Executor):
    @requests
    def where(self, docs, **kwargs):
        for d in docs:
            d.tags['runtime_args'] = dict(vars(self.runtime_args))
            d.tags['workspace'] = self.workspace


class Raises(Executor):
    def __init__(self, **kwargs):
        raise RuntimeError('no model here')
'''


def frame(header, body=b''):
    head = json.dumps(header).encode()
    return struct.pack('>II', len(head), len(body)) + head + body


def frames(data):
    result, i = [], 0
    while len(data) - i >= 8:
        header_len, body_len = struct.unpack('>II', data[i:i + 8])
        header = json.loads(data[i + 8:i + 8 + header_len])
        body = data[i + 8 + header_len:i + 8 + header_len + body_len]
        result.append((header, json.loads(body) if body else None))
        i += 8 + header_len + body_len
    return result


def call(id, endpoint, docs=None, **fields):
    body = json.dumps(docs).encode() if docs is not None else b''
    return frame({'v': 1, 'kind': 'call', 'id': id, 'endpoint': endpoint, 'parameters': {},
                  **({'count': len(docs)} if docs is not None else {}), **fields}, body)


class Host(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        with open(os.path.join(cls.dir, 'execs.py'), 'w') as f:
            f.write(EXECUTORS)
        with open(os.path.join(cls.dir, 'helper.py'), 'w') as f:
            f.write('def shout(text):\n    return text.upper()\n')

    def run_host(self, jtype, stdin, **spec):
        spec = {'jtype': jtype, 'metas': {'py_modules': [os.path.join(self.dir, 'execs.py')]}, **spec}
        return subprocess.run([sys.executable, HOST, '--spec', json.dumps(spec), '--label', 'ex'],
                              input=stdin, capture_output=True, timeout=30, cwd=self.dir)

    def test_hello_then_answers_in_order(self):
        run = self.run_host('Upper', call(1, '/index', [{'id': 'a', 'text': 'hi', 'keep': [1]}], parameters={'param': 5})
                            + call(2, '/nothing-bound', [{'id': 'b'}])
                            + call(3, '/ids', [{'id': 'c', 'text': 'dropped'}]),
                            **{'with': {'suffix': '!'}, 'name': 'upper'})
        self.assertEqual(run.returncode, 0, run.stderr.decode())
        (hello, _), (r1, d1), (r2, d2), (r3, d3) = frames(run.stdout)
        self.assertEqual((hello['kind'], hello['name'], hello['v']), ('hello', 'upper', 1))
        self.assertEqual(hello['endpoints'], ['/fail', '/few', '/ids', '/index', '/join'])
        self.assertEqual((r1['kind'], r1['id'], r1['count']), ('result', 1, 1))
        self.assertEqual(d1, [{'id': 'a', 'text': 'HI!', 'keep': [1], 'mime_type': 'text/plain', 'tags': {'param': 5}}])
        self.assertEqual((r2, d2), ({'v': 1, 'kind': 'result', 'id': 2}, None))  # passed through unchanged
        self.assertEqual(d3, [{'id': 'c'}])
        self.assertIn(b'this print must not reach stdout', run.stderr)

    def test_an_exception_is_an_error_frame_and_serving_goes_on(self):
        docs = [{'id': 'x1', 'text': 'as it came'}]
        run = self.run_host('Upper', call(7, '/fail', docs) + call(8, '/index', [{'id': 'y', 'text': 'ok'}]))
        self.assertEqual(run.returncode, 0)
        _, (error, body), (after, _) = frames(run.stdout)
        self.assertEqual((error['kind'], error['id']), ('error', 7))
        status = error['status']
        self.assertEqual(status['code'], 1)
        self.assertEqual(status['description'], 'ValueError: bad doc x1')
        self.assertEqual(status['exception']['name'], 'ValueError')
        self.assertEqual(status['exception']['args'], ['bad doc x1'])
        self.assertEqual(status['exception']['executor'], 'Upper')
        self.assertTrue(any('execs.py' in line for line in status['exception']['stacks']))
        self.assertFalse(any('jina_executor_host' in line for line in status['exception']['stacks']))
        self.assertEqual(body, docs)
        self.assertEqual(after['kind'], 'result')
        self.assertIn(b'ValueError: bad doc x1', run.stderr)

    def test_runtime_args_from_the_spec(self):
        runtime = {'name': 'idx', 'shard_id': 1, 'pea_id': 1, 'shards': 2, 'parallel': 2, 'replica_id': 0,
                   'replicas': 3, 'polling': {'/search': 'ALL', '*': 'ANY'}, 'workspace': self.dir, 'py_modules': []}
        run = self.run_host('Where', call(1, '/index', [{'id': 'a'}]), name='where', runtime=runtime)
        self.assertEqual(run.returncode, 0, run.stderr.decode())
        _, (_, docs) = frames(run.stdout)
        self.assertEqual(docs[0]['tags']['runtime_args'], {**runtime, 'label': 'ex'})
        self.assertEqual(docs[0]['tags']['workspace'], os.path.join(self.dir, 'where', '1'))

    def test_runtime_args_served_alone(self):
        run = self.run_host('Where', call(1, '/index', [{'id': 'a'}]))
        self.assertEqual(run.returncode, 0, run.stderr.decode())
        _, (_, docs) = frames(run.stdout)
        args = docs[0]['tags']['runtime_args']
        self.assertEqual({k: args[k] for k in ('name', 'label', 'shard_id', 'pea_id', 'shards', 'parallel', 'replica_id',
                                               'replicas', 'polling')},
                         {'name': 'ex', 'label': 'ex', 'shard_id': 0, 'pea_id': 0, 'shards': 1, 'parallel': 1,
                          'replica_id': 0, 'replicas': 1, 'polling': 'ANY'})

    def test_documents_it_cannot_read(self):
        bad = frame({'v': 1, 'kind': 'call', 'id': 3, 'endpoint': '/index', 'count': 3}, b'[1, 2, 3]')
        run = self.run_host('Upper', bad + call(4, '/index', [{'id': 'z', 'text': 'fine'}]))
        _, (error, _), (after, docs) = frames(run.stdout)
        self.assertEqual(error['kind'], 'error')
        self.assertEqual(after['kind'], 'result')

    def test_docs_matrix_from_splits(self):
        docs = [{'id': str(i)} for i in range(6)]
        run = self.run_host('Upper', call(1, '/join', docs, splits=[3, 3]) + call(2, '/join', docs[:2]))
        _, (_, joined), (_, single) = frames(run.stdout)
        self.assertEqual([d['tags']['matrix'] for d in joined], [[3, 3]] * 6)
        self.assertEqual([d['tags']['matrix'] for d in single], [None, None])

    def test_only_the_arguments_a_method_takes(self):
        run = self.run_host('Upper', call(1, '/few', [{'id': 'a'}]))
        _, (result, docs) = frames(run.stdout)
        self.assertEqual((result['count'], [d['id'] for d in docs]), (2, ['a', 'added']), run.stderr.decode())

    def test_no_documents(self):
        run = self.run_host('Upper', call(1, '/index'))
        _, (result, docs) = frames(run.stdout)
        self.assertEqual((result['kind'], result['count'], docs), ('result', 0, []))

    def test_goodbye_ends_it(self):
        run = self.run_host('Upper', frame({'v': 1, 'kind': 'goodbye'}) + call(1, '/index', [{'id': 'a'}]))
        self.assertEqual(run.returncode, 0)
        self.assertEqual(len(frames(run.stdout)), 1)

    def test_startup_failures_exit_1_before_hello(self):
        cases = {
            'Missing': 'class Missing not found in execs.py; Executor classes there: Raises, Upper',
            'Raises': 'RuntimeError: no model here',
        }
        for jtype, message in cases.items():
            run = self.run_host(jtype, b'')
            self.assertEqual(run.returncode, 1, jtype)
            self.assertEqual(run.stdout, b'', jtype)
            self.assertIn(message, run.stderr.decode(), jtype)
        run = subprocess.run([sys.executable, HOST, '--spec', json.dumps(
            {'jtype': 'X', 'metas': {'py_modules': [os.path.join(self.dir, 'nope.py')]}})], capture_output=True, timeout=30)
        self.assertEqual(run.returncode, 1)
        self.assertIn('nope.py does not exist', run.stderr.decode())

    def test_an_import_error_shows_its_traceback(self):
        path = os.path.join(self.dir, 'broken.py')
        with open(path, 'w') as f:
            f.write(textwrap.dedent('''
                from jina import Executor
                import a_module_that_is_not_installed
            '''))
        run = subprocess.run([sys.executable, HOST, '--spec', json.dumps({'jtype': 'B', 'metas': {'py_modules': [path]}})],
                             capture_output=True, timeout=30)
        self.assertEqual(run.returncode, 1)
        err = run.stderr.decode()
        self.assertIn("ModuleNotFoundError: No module named 'a_module_that_is_not_installed'", err)
        self.assertIn('broken.py", line 3', err)

    def test_the_cookbook_minimum_example_loads_unchanged(self):
        path = os.path.join(self.dir, 'minimal.py')
        with open(path, 'w') as f:
            f.write(textwrap.dedent('''
                from jina import Executor, Flow, Document, requests

                class MyExecutor(Executor):

                    @requests
                    def foo(self, **kwargs):
                        print(kwargs)

                f = Flow().add(uses=MyExecutor)

                with f:
                    f.post(on='/random_work', inputs=Document(), on_done=print)
            '''))
        spec = {'jtype': 'MyExecutor', 'metas': {'py_modules': [path]}}
        run = subprocess.run([sys.executable, HOST, '--spec', json.dumps(spec)], input=call(1, '/random_work', [{'id': 'a'}]),
                             capture_output=True, timeout=30)
        self.assertEqual(run.returncode, 0, run.stderr.decode())
        self.assertEqual(frames(run.stdout)[1][0]['kind'], 'result')
        self.assertIn("'parameters': {}", run.stderr.decode())  # the Flow built at the top level did nothing

    def test_the_users_script_runs_only_its_definitions_in_an_executor(self):
        path = os.path.join(self.dir, 'script.py')
        with open(path, 'w') as f:
            f.write(textwrap.dedent('''
                import sys
                from jina import Executor, Flow, requests

                PORT = int(sys.argv[1])  # the user's command line, not the host's
                print('top-level print')

                class MyExecutor(Executor):
                    @requests
                    def foo(self, docs, **kwargs):
                        for d in docs:
                            d.tags['port'] = PORT

                with Flow().add(uses=MyExecutor) as f:
                    raise SystemExit('a with block ran inside the executor')
            '''))
        spec = {'jtype': 'MyExecutor', 'metas': {'py_modules': [path]}}
        env = dict(os.environ, JINA_MAIN_SCRIPT=path, JINA_MAIN_ARGV=json.dumps([path, '4321']))
        run = subprocess.run([sys.executable, HOST, '--spec', json.dumps(spec)], input=call(1, '/x', [{'id': 'a'}]),
                             capture_output=True, timeout=30, env=env)
        self.assertEqual(run.returncode, 0, run.stderr.decode())
        answer = frames(run.stdout)[1]
        self.assertEqual(answer[1][0]['tags']['port'], 4321)
        self.assertNotIn('top-level print', run.stderr.decode() + run.stdout.decode())

    def test_a_package_module_with_relative_imports(self):
        package = os.path.join(self.dir, 'pkg')
        os.makedirs(package, exist_ok=True)
        with open(os.path.join(package, '__init__.py'), 'w') as f:
            f.write('')
        with open(os.path.join(package, 'util.py'), 'w') as f:
            f.write('TAG = "from util"\n')
        with open(os.path.join(package, 'enc.py'), 'w') as f:
            f.write(textwrap.dedent('''
                from jina import Executor, requests
                from .util import TAG

                class Rel(Executor):
                    @requests
                    def tag(self, docs, **kwargs):
                        for d in docs:
                            d.tags['t'] = TAG
            '''))
        spec = {'jtype': 'Rel', 'metas': {'py_modules': [os.path.join(package, 'enc.py')]}}
        run = subprocess.run([sys.executable, HOST, '--spec', json.dumps(spec)], input=call(1, '/x', [{'id': 'a'}]),
                             capture_output=True, timeout=30)
        self.assertEqual(run.returncode, 0, run.stderr.decode())
        self.assertEqual(frames(run.stdout)[1][1], [{'id': 'a', 'tags': {'t': 'from util'}}])


if __name__ == '__main__':
    unittest.main()
