"""Executor and @requests, as in Jina 2: a class whose decorated methods are bound to endpoints."""
import os
from types import SimpleNamespace

__all__ = ['Executor', 'BaseExecutor', 'requests', '__default_endpoint__']

__default_endpoint__ = '/default'

# Every Executor subclass by class name, so the host can find a class wherever it was defined.
_registry = {}


def requests(func=None, *, on=None):
    """Binds a method to endpoints: `@requests(on='/index')`, `@requests(on=['/a', '/b'])`, or
    plain `@requests` for the default handler (every endpoint without a binding of its own).
    The method itself is returned unchanged, so it can still be called directly."""
    if isinstance(on, str):
        endpoints = [on]
    elif on:
        endpoints = list(on)
    else:
        endpoints = [__default_endpoint__]

    def mark(fn):
        fn.__jina_endpoints__ = list(getattr(fn, '__jina_endpoints__', [])) + endpoints
        return fn

    return mark(func) if callable(func) else mark


class Executor:
    """Subclass it; decorate methods with @requests. `self.metas` (name, description, workspace,
    py_modules), `self.runtime_args` (name, label, shard_id/pea_id, shards/parallel, replica_id,
    replicas, polling, workspace, py_modules), `self.requests` (endpoint -> function) and
    `self.workspace` are there whether or not the subclass's __init__ calls super().__init__()."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _registry[cls.__name__] = cls

    def __new__(cls, *args, **kwargs):
        # Set up here rather than in __init__ so that a subclass whose __init__ never calls
        # super().__init__() (several cookbook examples) still has its metas and bindings.
        self = super().__new__(cls)
        self.metas = _metas(cls, kwargs.get('metas'))
        self.requests = _bindings(cls, kwargs.get('requests'))
        self.runtime_args = SimpleNamespace(**_as_dict(kwargs.get('runtime_args')))
        # The `with:` arguments, for save_config.
        self._init_kwargs = {k: v for k, v in kwargs.items() if k not in ('metas', 'requests', 'runtime_args')}
        return self

    def __init__(self, metas=None, requests=None, runtime_args=None, **kwargs):
        # A subclass may change these before passing them on: what it passes wins.
        if metas is not None:
            self.metas = _metas(type(self), metas)
        if requests is not None:
            self.requests = _bindings(type(self), requests)
        if runtime_args is not None:
            self.runtime_args = SimpleNamespace(**_as_dict(runtime_args))

    @property
    def workspace(self):
        """metas.workspace or runtime_args.workspace (else the working directory, which in a Flow
        is the directory of the YAML naming the executor), then /<metas.name>, then /<shard_id>
        when runtime_args has one (in a Flow it always does: 0 for an executor without shards);
        made on first use.

        Jina's rule, from BaseExecutor.workspace in jina/serve/executors/__init__.py (Jina 3.2.9):
        os.path.join(workspace, metas.name), then str(shard_id) joined unless shard_id is None
        or -1. (Jina 2.x, jina/executors/__init__.py, also put replica_id before pea_id; Jina 3
        dropped it, so the replicas of a shard share its directory, as here.)"""
        if getattr(self, '_workspace', None):
            return self._workspace
        base = self.metas.workspace or getattr(self.runtime_args, 'workspace', None) or os.getcwd()
        path = os.path.join(base, str(self.metas.name))
        shard_id = getattr(self.runtime_args, 'shard_id', None)
        if shard_id is not None and shard_id != -1:
            path = os.path.join(path, str(shard_id))
        path = os.path.abspath(path)
        os.makedirs(path, exist_ok=True)
        return path

    @workspace.setter
    def workspace(self, value):
        self._workspace = value

    @property
    def logger(self):
        """A JinaLogger named after the executor (`self.logger.info(...)`), as Jina 2 gave."""
        if getattr(self, '_logger', None) is None:
            from .logging.logger import JinaLogger
            self._logger = JinaLogger(str(getattr(self.metas, 'name', None) or type(self).__name__))
        return self._logger

    @logger.setter
    def logger(self, value):
        self._logger = value

    def close(self):
        """Called once when the executor stops (input closed, or a goodbye): override to save state."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @classmethod
    def load_config(cls, source, uses_with=None, uses_metas=None, uses_requests=None, **kwargs):
        """An Executor from its YAML (a file, a YAML string such as '!MyExecutor\nwith: {a: 1}', or
        a class name), as Jina 2's `Executor.load_config`; the binary reads the YAML (`jina executor
        spec`), so no YAML library is needed. Classes defined in the running script are found."""
        import json as _json
        import subprocess
        import sys
        import tempfile
        from ._binary import jina_binary
        text = source if isinstance(source, str) else source.read()
        path = text if os.path.isfile(text) else None
        directory = None
        if path is None:
            directory = tempfile.mkdtemp(prefix='jina-exec-')
            path = os.path.join(directory, 'executor.yml')
            with open(path, 'w') as file:
                file.write(text if ('\n' in text or ':' in text or text.startswith('!')) else f'jtype: {text}\n')
        main = getattr(sys.modules.get('__main__'), '__file__', None)
        command = [jina_binary(), 'executor', 'spec', '--uses', path] + (['--py-modules', os.path.abspath(main)] if main else [])
        run = subprocess.run(command, capture_output=True, text=True)
        if directory:
            import shutil
            shutil.rmtree(directory, ignore_errors=True)
        if run.returncode != 0:
            raise ValueError(f'cannot load the executor config: {run.stderr.strip()}')
        spec = _json.loads(run.stdout)
        spec.setdefault('with', {}).update(uses_with or {})
        spec.setdefault('metas', {}).update({k: v for k, v in (uses_metas or {}).items()})
        spec.setdefault('requests', {}).update(uses_requests or {})
        # The running script's classes are already here: importing it again would run it again.
        modules = spec['metas'].get('py_modules') or []
        spec['metas']['py_modules'] = [m for m in modules if not main or os.path.abspath(m) != os.path.abspath(main)]
        from . import _host
        was_inside = _host.inside_executor
        try:
            import jina_executor_host
            _host.inside_executor = True  # the modules it loads build no Flows, as in an executor
            return jina_executor_host.start(spec, None)
        finally:
            _host.inside_executor = was_inside  # this script's Flows still run

    def save_config(self, filename=None):
        """Writes the executor's config (jtype, with, metas, requests) to `filename` (default
        `<metas.name>.yml`) as JSON, which any YAML reader reads; returns the path."""
        import json as _json
        filename = filename or f'{self.metas.name}.yml'
        given = getattr(self, '_init_kwargs', {}) or {}
        metas = {k: v for k, v in vars(self.metas).items() if v is not None} if hasattr(self.metas, '__dict__') else {}
        config = {'jtype': type(self).__name__, 'with': given, 'metas': metas,
                  'requests': {endpoint: getattr(fn, '__name__', str(fn)) for endpoint, fn in self.requests.items()}}
        with open(filename, 'w') as file:
            _json.dump(config, file, indent=2, default=str)
        return filename


BaseExecutor = Executor


def _as_dict(value):
    if value is None:
        return {}
    if isinstance(value, SimpleNamespace):
        return dict(vars(value))
    return dict(value)


def _metas(cls, given):
    """name (default: the class name), description, workspace, py_modules, and any other key given."""
    metas = SimpleNamespace(name=cls.__name__, description=None, workspace=None, py_modules=None)
    for key, value in _as_dict(given).items():
        if value is not None or not hasattr(metas, key):
            setattr(metas, key, value)
    return metas


def _bindings(cls, overrides):
    """endpoint -> function: the @requests marks of the class and its bases (a subclass's win),
    then `requests:` from YAML (endpoint -> method name), which overrides and extends them."""
    bound = {}
    for klass in reversed(cls.__mro__):
        for name, attr in vars(klass).items():
            for endpoint in getattr(attr, '__jina_endpoints__', ()):
                bound[endpoint] = getattr(cls, name)  # the most derived override of that name
    for endpoint, method in _as_dict(overrides).items():
        if callable(method):
            bound[endpoint] = method
            continue
        function = getattr(cls, str(method), None)
        if not callable(function):
            methods = sorted(n for n in dir(cls) if not n.startswith('_') and callable(getattr(cls, n, None)))
            raise AttributeError(f"requests: '{endpoint}' names the method '{method}', which {cls.__name__} does not have"
                                 f" (its methods: {', '.join(methods) or 'none'})")
        bound[endpoint] = function
    return bound
