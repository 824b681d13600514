"""Executor construction, metas, workspace and @requests bindings."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from jina import Document, DocumentArray, Executor, requests  # noqa: E402


class Bound(Executor):
    @requests(on='/index')
    def index(self, **kwargs):
        pass

    @requests(on=['/search', '/find'])
    def search(self, **kwargs):
        pass

    @requests
    def fallback(self, **kwargs):
        pass

    def helper(self):
        pass


class Bindings(unittest.TestCase):
    def names(self, executor):
        return {endpoint: fn.__name__ for endpoint, fn in executor.requests.items()}

    def test_decorators(self):
        self.assertEqual(self.names(Bound()), {'/index': 'index', '/search': 'search', '/find': 'search',
                                               '/default': 'fallback'})

    def test_yaml_requests_override_and_extend(self):
        e = Bound(requests={'/index': 'helper', '/random_work': 'search'})
        self.assertEqual(self.names(e)['/index'], 'helper')
        self.assertEqual(self.names(e)['/random_work'], 'search')
        self.assertEqual(self.names(e)['/find'], 'search')

    def test_requests_naming_a_missing_method_fails(self):
        with self.assertRaises(AttributeError) as raised:
            Bound(requests={'/x': 'nope'})
        self.assertIn("'nope'", str(raised.exception))
        self.assertIn('helper', str(raised.exception))

    def test_no_binding(self):
        class Plain(Executor):
            def foo(self, **kwargs):
                pass
        self.assertEqual(Plain().requests, {})

    def test_subclass_override_keeps_the_binding(self):
        class Child(Bound):
            def index(self, **kwargs):
                return 'child'
        self.assertEqual(Child().requests['/index'](Child()), 'child')

    def test_decorated_methods_can_be_called_directly(self):
        class MyExec(Executor):
            @requests
            def foo(self, docs, **kwargs):
                for d in docs:
                    d.text = 'hello world'
        da = DocumentArray([Document(text='test')])
        MyExec().foo(da)
        self.assertEqual(da[0].text, 'hello world')


class Construction(unittest.TestCase):
    def test_cookbook_init_with_kwargs(self):
        class MyExecutor(Executor):
            def __init__(self, foo: str = 'f', bar: int = 0, **kwargs):
                super().__init__(**kwargs)
                self.bar, self.foo = bar, foo
        e = MyExecutor(bar=123, metas={'name': 'awesomeness', 'description': 'my first awesome executor'},
                       requests={}, runtime_args={'workspace': '/tmp'})
        self.assertEqual((e.bar, e.metas.name, e.metas.description, e.runtime_args.workspace),
                         (123, 'awesomeness', 'my first awesome executor', '/tmp'))

    def test_init_without_super_still_has_metas(self):
        class NoSuper(Executor):
            def __init__(self, **kwargs):
                self.model = 'loaded'

            @requests
            def foo(self, **kwargs):
                pass
        e = NoSuper(metas={'name': 'n'}, requests={'/x': 'foo'})
        self.assertEqual((e.model, e.metas.name, sorted(e.requests)), ('loaded', 'n', ['/default', '/x']))

    def test_super_init_with_nothing_keeps_metas(self):
        class Empty(Executor):
            def __init__(self, **kwargs):
                super().__init__()
        self.assertEqual(Empty(metas={'name': 'kept'}).metas.name, 'kept')

    def test_metas_changed_before_super_init_win(self):
        class Renamer(Executor):
            def __init__(self, **kwargs):
                kwargs['metas'] = {**kwargs['metas'], 'name': 'renamed'}
                super().__init__(**kwargs)
        self.assertEqual(Renamer(metas={'name': 'given'}).metas.name, 'renamed')

    def test_default_name_is_the_class_name(self):
        self.assertEqual(Bound().metas.name, 'Bound')

    def test_workspace(self):
        with tempfile.TemporaryDirectory() as root:
            e = Bound(metas={'name': 'ws', 'workspace': root})
            self.assertEqual(e.workspace, os.path.join(root, 'ws'))
            self.assertTrue(os.path.isdir(e.workspace))
            e = Bound(metas={'name': 'rt'}, runtime_args={'workspace': root})
            self.assertEqual(e.workspace, os.path.join(root, 'rt'))

    def test_workspace_per_shard(self):
        """Jina's rule: <workspace>/<metas.name>/<shard_id> when runtime_args has a shard_id."""
        with tempfile.TemporaryDirectory() as root:
            for shard_id in (0, 1):
                e = Bound(metas={'name': 'idx'}, runtime_args={'workspace': root, 'shard_id': shard_id, 'shards': 2})
                self.assertEqual(e.workspace, os.path.join(root, 'idx', str(shard_id)))
                self.assertTrue(os.path.isdir(e.workspace))
            e = Bound(metas={'name': 'idx', 'workspace': root}, runtime_args={'shard_id': -1})
            self.assertEqual(e.workspace, os.path.join(root, 'idx'))


class Lifecycle(unittest.TestCase):
    def test_with_closes(self):
        closed = []

        class Saver(Executor):
            def close(self):
                closed.append(self.metas.name)
        with Saver(metas={'name': 's'}) as e:
            self.assertIsInstance(e, Saver)
        self.assertEqual(closed, ['s'])

    @unittest.skipUnless(os.environ.get('JINA_BIN'), 'needs the jina binary (JINA_BIN)')
    def test_flows_still_run_after_load_config(self):
        from jina import Flow
        e = Executor.load_config('Bound')
        self.assertIsInstance(e, Bound)
        self.assertIsInstance(Flow(), Flow)  # not the stand-in an executor process gets


if __name__ == '__main__':
    unittest.main()
