"""Jina 2's Flow, run by the native `jina` binary: the builder writes the Flow as JSON (which the
binary reads as YAML), `with f:` starts `jina flow serve` on it and waits for its ready line, and
`f.post(...)` goes through a Client to the Flow's HTTP gateway. No Python Jina is involved.

Executor classes given as `uses=MyExecutor` reach the executor processes by their file: the
binary's Python host imports that file under another name than `__main__`, where `Flow` does
nothing, so a script that builds and posts a Flow at its top level runs its Flow once."""
import copy
import inspect
import json
import os
import subprocess
import sys
import shutil
import tempfile
from functools import partialmethod

from .. import _host
from .._binary import jina_binary
from ..clients import AsyncClient, Client
from ..excepts import FlowTopologyError, RuntimeFailToStart
from ..executor import _registry

__all__ = ['Flow', 'AsyncFlow']

# Jina 2 names the Python API takes for Flow.add, written as the YAML keys the binary reads.
_ENTRY_RENAMES = {'parallel': 'shards', 'override_with': 'uses_with', 'override_metas': 'uses_metas',
                  'override_requests': 'uses_requests'}


def _class_file(cls):
    """The file that defines an Executor class, for the executor process to import."""
    module = sys.modules.get(cls.__module__)
    path = getattr(module, '__file__', None)
    if not path or '<locals>' in cls.__qualname__:
        raise FlowTopologyError(f'{cls.__qualname__} cannot be used by an executor process: define it at the top level of a '
                                f'.py file (not inside a function, a notebook or `python -c`)')
    return os.path.abspath(path)


def _absolute(path):
    return os.path.abspath(path) if isinstance(path, str) and not os.path.isabs(path) else path


def _entry(kwargs):
    """One `executors:` item from Flow.add's keyword arguments."""
    entry = {}
    for key, value in kwargs.items():
        key = _ENTRY_RENAMES.get(key, key)
        if key == 'uses' and inspect.isclass(value):
            entry['uses'] = value.__name__
            entry.setdefault('py_modules', [])
            entry['py_modules'] = [_class_file(value)] + [m for m in entry['py_modules'] if m != _class_file(value)]
        elif key == 'uses' and isinstance(value, str) and value.endswith(('.yml', '.yaml')) and '\n' not in value:
            entry['uses'] = _absolute(value)  # Jina resolved it from the working directory
        elif key == 'py_modules':
            modules = [value] if isinstance(value, str) else list(value)
            entry['py_modules'] = entry.get('py_modules', []) + [_absolute(m) for m in modules]
        elif key in ('uses_before', 'uses_after') and inspect.isclass(value):
            entry[key] = {'jtype': value.__name__, 'metas': {'py_modules': [_class_file(value)]}}
        elif key == 'workspace':
            entry[key] = _absolute(value)
        else:
            entry[key] = value
    return entry


class Flow:
    """`Flow(port_expose=12345, protocol='http', ...)`; `.add(...)` returns a new Flow with one more
    executor; `with f:` runs it; `f.post(...)`, `f.index(...)`, ...; `f.block()`; `f.plot('f.svg')`."""

    _client_class = Client

    def __new__(cls, *args, **kwargs):
        if _host.inside_executor:
            return _host.Inert(cls.__name__)
        return super().__new__(cls)

    def __init__(self, args=None, **kwargs):
        self._settings = {k: v for k, v in kwargs.items() if v is not None}
        self._entries = []
        self._source = None
        self._process = None
        self._client = None
        self._directory = None
        self._port = None

    # -- building --

    @classmethod
    def load_config(cls, source, **kwargs):
        """A Flow from a YAML file (read by the binary). Executor classes the YAML names by class
        that are defined in the running script are found there, as Jina's were."""
        if _host.inside_executor:
            return _host.Inert(cls.__name__)
        flow = cls(**kwargs)
        if not (isinstance(source, str) and os.path.isfile(source)):
            raise FileNotFoundError(f'Flow.load_config expects a YAML file; {source!r} is not one')
        flow._source = os.path.abspath(source)
        return flow

    def add(self, *, needs=None, copy_flow=True, **kwargs):
        if self._source:
            raise FlowTopologyError('add() to a Flow loaded from YAML is not supported: add the executor to the YAML file')
        if self._process is not None:
            raise FlowTopologyError('a running Flow cannot change: add executors before `with f:`')
        flow = copy.deepcopy(self) if copy_flow else self
        entry = _entry(kwargs)
        name = entry.get('name')
        names = [e.get('name') for e in flow._entries]
        if name is not None and name in names:
            raise FlowTopologyError(f'name {name!r} is used by another executor of this Flow')
        if needs is not None:
            entry['needs'] = [needs] if isinstance(needs, str) else list(needs)
        flow._entries.append(entry)
        return flow

    def needs(self, needs, name='joiner', *args, **kwargs):
        """An executor (a pass-through unless `uses=` says otherwise) that joins `needs`."""
        if isinstance(needs, str) or len(needs) < 2:
            raise FlowTopologyError('.needs() joins two or more executors; use .add(needs=...) for one')
        return self.add(needs=needs, name=name, *args, **kwargs)

    def needs_all(self, name='joiner', *args, **kwargs):
        """An executor that joins every executor nothing needs yet."""
        return self.add(method='needs_all', name=name, *args, **kwargs)

    def __deepcopy__(self, memo):
        flow = object.__new__(type(self))
        flow.__dict__.update({k: copy.deepcopy(v, memo) for k, v in self.__dict__.items() if k not in ('_process', '_client')})
        flow._process, flow._client = None, None
        return flow

    def to_dict(self):
        """The Flow as its YAML would be: jtype, with, executors (Jina 2's old names as the current ones)."""
        settings = dict(self._settings)
        if 'port_expose' in settings:
            settings['port'] = settings.pop('port_expose')
        if settings.pop('restful', False) or settings.pop('rest_api', False):
            settings['protocol'] = 'http'
        protocols = self._protocols()
        if protocols != ['http']:
            # This package's client speaks HTTP: a Flow served over gRPC or WebSocket (for other
            # clients, on the port given) also serves HTTP, on a free port, for it.
            settings['protocol'] = protocols
            if 'port' in settings:
                given = settings['port'] if isinstance(settings['port'], list) else [settings['port']]
                settings['port'] = given + [0] * (len(protocols) - len(given))
        return {'jtype': 'Flow', 'version': '1', 'with': settings, 'executors': copy.deepcopy(self._entries)}

    def _config_file(self, directory):
        """The Flow's YAML: the loaded file, or the built Flow written as JSON into `directory`."""
        if self._source:
            return self._source
        path = os.path.join(directory, 'flow.json')
        with open(path, 'w') as file:
            json.dump(self.to_dict(), file, indent=2, default=str)
        return path

    def _script_modules(self):
        """The running script and the files of the Executor classes imported so far, so that a
        loaded YAML's `uses: MyExecutor` finds its class there (Jina 2's executors, forked from
        this process, found every class it had imported)."""
        if not self._source:
            return []
        main = getattr(sys.modules.get('__main__'), '__file__', None)
        files = [os.path.abspath(main)] if main else []
        for cls in list(_registry.values()):
            module = sys.modules.get(cls.__module__)
            path = getattr(module, '__file__', None)
            if path and cls.__module__ != '__main__' and cls.__module__.split('.')[0] != 'jina' \
                    and '<locals>' not in cls.__qualname__ and os.path.abspath(path) not in files:
                files.append(os.path.abspath(path))
        return [arg for path in files for arg in ('--py-modules', path)]

    # -- running --

    def _protocols(self):
        """The protocols to serve, as the binary reads them, with HTTP among them."""
        given = self._settings.get('protocol', 'http')
        protocols = [str(p).lower() for p in (given if isinstance(given, (list, tuple)) else [given])]
        return protocols if 'http' in protocols else protocols + ['http']

    @property
    def port_expose(self):
        return self._port or self._settings.get('port_expose') or self._settings.get('port')

    def start(self):
        if self._process is not None:
            return self
        self._directory = tempfile.mkdtemp(prefix='jina-flow-')
        command = [jina_binary(), 'flow', 'serve', '--uses', self._config_file(self._directory), '--exit-with-stdin']
        command += self._script_modules()
        if self.port_expose is None:
            command += ['--port', '0'] * len(self._protocols())
        # stdin stays a pipe we hold: when this process ends, however it ends, the Flow stops.
        # The script's classes reach executor processes by its file; the host runs only its
        # definitions there (jina_executor_host.definitions_only), not its prints and `with` blocks.
        environment = dict(os.environ)
        main = getattr(sys.modules.get('__main__'), '__file__', None)
        if main:
            environment['JINA_MAIN_SCRIPT'] = os.path.abspath(main)
            environment['JINA_MAIN_ARGV'] = json.dumps(sys.argv)
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
        line = self._process.stdout.readline().decode(errors='replace').strip()
        if not line.startswith('ready: '):
            self._process.wait()
            self._process = None
            self._remove_directory()
            raise RuntimeFailToStart('the Flow could not start (its error is above)')
        # `ready: http://HOST:P`, or `ready: grpc://HOST:P1 http://HOST:P2`: the first address is the
        # Flow's port, the HTTP one is this package's client's.
        addresses = line[len('ready: '):].split()
        self._port = int(addresses[0].rsplit(':', 1)[1])
        http = next(a for a in addresses if a.startswith('http://'))
        self._client = self._client_class(host='127.0.0.1', port_expose=int(http.rsplit(':', 1)[1]))
        return self

    def close(self):
        process, self._process = self._process, None
        if process is None:
            return
        if self._client is not None:
            self._client.close()
            self._client = None
        process.stdin.close()  # the binary drains and stops, as on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._remove_directory()

    def _remove_directory(self):
        if self._directory:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False

    def block(self):
        """Serves until Ctrl-C (or the Flow stops)."""
        try:
            self._process.wait()
        except KeyboardInterrupt:
            pass

    @property
    def client(self):
        if self._client is None:
            raise RuntimeError('the Flow is not running: post inside `with f:` (or after f.start())')
        return self._client

    def post(self, on, inputs=None, *args, **kwargs):
        return self.client.post(on, inputs, *args, **kwargs)

    index = partialmethod(post, '/index')
    search = partialmethod(post, '/search')
    update = partialmethod(post, '/update')
    delete = partialmethod(post, '/delete')

    def plot(self, output=None, **kwargs):
        """Draws the Flow with `jina plot` (SVG, Mermaid .mmd or Graphviz .dot by the file's ending)."""
        if output is None:
            return self
        with tempfile.TemporaryDirectory(prefix='jina-flow-') as directory:
            subprocess.run([jina_binary(), 'plot', self._config_file(directory), '--output', output], check=True)
        return self


class AsyncFlow(Flow):
    """A Flow whose `post` is an async generator (its client's): `async for resp in f.post('/', inputs)`."""

    _client_class = AsyncClient
