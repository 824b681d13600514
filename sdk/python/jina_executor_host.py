#!/usr/bin/env python3
"""Serves one Jina Executor class over the executor protocol (docs/protocol.md) on stdin/stdout.

    python3 jina_executor_host.py --spec JSON [--label LABEL]

The spec is {"jtype": class name, "with": {...}, "metas": {"name", "description", "workspace",
"py_modules": [paths]}, "requests": {endpoint: method name}, "name": parameter scope,
"workspace": ..., "runtime": {"name", "shard_id", "pea_id", "shards", "parallel", "replica_id",
"replicas", "polling", "workspace", "py_modules"}}. A Flow starts this for every executor whose
class is written in Python.
"""
import os
import sys

# Our `jina` package, never a pip-installed Jina: this directory goes first on the path.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import argparse  # noqa: E402
import ast  # noqa: E402
import asyncio  # noqa: E402
import importlib  # noqa: E402
import importlib.util  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import struct  # noqa: E402
import traceback  # noqa: E402

import jina._host  # noqa: E402
jina._host.inside_executor = True  # before any user module: its Flow(...) and Client(...) do nothing here
from jina.document import DocumentArray, Document, json_default  # noqa: E402
from jina.executor import Executor, _registry, __default_endpoint__  # noqa: E402

MAX_FRAME = 64 << 20


class StartupError(Exception):
    """Why the executor cannot start; `detail` is a traceback worth showing, when there is one."""

    def __init__(self, message, detail=''):
        super().__init__(message)
        self.detail = detail


class Channel:
    """Frames (u32be header_len | u32be body_len | JSON header | body) over two file objects."""

    def __init__(self, inp, out):
        self.inp, self.out = inp, out

    def read(self):
        """(header, body), or None at end of input."""
        sizes = self._read_exactly(8)
        if sizes is None:
            return None
        header_len, body_len = struct.unpack('>II', sizes)
        header = self._read_exactly(header_len)
        body = self._read_exactly(body_len) if body_len else b''
        if header is None or body is None:
            return None  # the Flow went away mid-frame
        return json.loads(header), body

    def send(self, header, body=b''):
        head = json.dumps(header, ensure_ascii=False, default=json_default).encode('utf-8')
        self.out.write(struct.pack('>II', len(head), len(body)) + head + body)
        self.out.flush()

    def _read_exactly(self, n):
        data = self.inp.read(n)  # a buffered reader returns n bytes unless the input ends
        return data if data is not None and len(data) == n else None


def claim_stdio():
    """Keeps private copies of stdin and stdout for frames. fd 1 then points at stderr, so that
    prints (and native libraries writing to fd 1) go to the Flow's log instead of corrupting
    frames; fd 0 points at /dev/null, so user code reading stdin cannot eat frames."""
    frames_in = os.fdopen(os.dup(0), 'rb')
    frames_out = os.fdopen(os.dup(1), 'wb')
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(os.devnull)
    return Channel(frames_in, frames_out)


# Starting up.

def import_user_module(path):
    """Imports one py_modules entry: a .py file, or a package directory. The module's directory
    goes on sys.path (after ours) so that the user's modules can import each other; a file inside
    a package is imported as package.module so that its relative imports work too."""
    path = os.path.abspath(path)
    if not os.path.exists(path):
        raise StartupError(f'py_modules: {path} does not exist')
    if os.path.isdir(path):
        directory, name = os.path.dirname(path), os.path.basename(path)
        _add_to_path(directory)
        return importlib.import_module(name)
    directory, filename = os.path.split(path)
    name = os.path.splitext(filename)[0]
    if os.path.exists(os.path.join(directory, '__init__.py')):
        parts, root = [name], directory
        while os.path.exists(os.path.join(root, '__init__.py')):
            parts.insert(0, os.path.basename(root))
            root = os.path.dirname(root)
        _add_to_path(root)
        return importlib.import_module('.'.join(parts))
    _add_to_path(directory)
    existing = sys.modules.get(name)
    if existing is not None:
        if os.path.abspath(getattr(existing, '__file__', '') or '') == path:
            return existing
        name = f'_jina_user_{name}'  # do not replace a module of the same name (json.py...)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before running it, so the user's other modules can import it
    try:
        if path == os.path.abspath(os.environ.get('JINA_MAIN_SCRIPT') or '//none'):
            run_definitions(path, module)
        else:
            spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


# What of a script's top level runs in an executor process: what defines things. The rest (prints,
# `with f:` blocks, loops, asserts) already ran once, in the user's own process.
_DEFINING = (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Assign, ast.AnnAssign,
             ast.AugAssign, ast.Try, ast.If, ast.Global, ast.Pass)


def run_definitions(path, module):
    """Runs the script's definitions with its own command line in sys.argv; an assignment that
    fails here (it needed the user's process: a file, a port) leaves its name unset."""
    argv = sys.argv
    sys.argv = json.loads(os.environ.get('JINA_MAIN_ARGV') or '[]') or [path]
    try:
        for statement in definitions_only(path).body:
            code = compile(ast.Module(body=[statement], type_ignores=[]), path, 'exec')
            try:
                exec(code, module.__dict__)
            except Exception:
                if not isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                    raise
    finally:
        sys.argv = argv


def definitions_only(path):
    """The script (the Flow API's `__main__`, named by JINA_MAIN_SCRIPT) with only the statements
    that define names, at the top level and inside top-level `if` and `try` blocks."""
    with open(path, 'rb') as file:
        tree = ast.parse(file.read(), filename=path)

    def keep(body):
        kept = []
        for node in body:
            if not isinstance(node, _DEFINING):
                continue
            if isinstance(node, ast.If):
                node.body, node.orelse = keep(node.body) or [ast.Pass()], keep(node.orelse)
            elif isinstance(node, ast.Try):
                node.body = keep(node.body) or [ast.Pass()]
                for handler in node.handlers:
                    handler.body = keep(handler.body) or [ast.Pass()]
                node.orelse, node.finalbody = keep(node.orelse), keep(node.finalbody)
            kept.append(node)
        return kept

    tree.body = keep(tree.body)
    return ast.fix_missing_locations(tree)


def _add_to_path(directory):
    if directory not in sys.path:
        sys.path.insert(1, directory)


def find_class(jtype, modules):
    for module in reversed(modules):
        found = getattr(module, jtype, None)
        if isinstance(found, type):
            break
    else:
        found = _registry.get(jtype)
    where = ', '.join(os.path.basename(getattr(m, '__file__', '') or m.__name__) for m in modules) or 'no py_modules'
    if found is None:
        known = sorted(name for m in modules for name, value in vars(m).items()
                       if isinstance(value, type) and issubclass(value, Executor) and value is not Executor)
        hint = f"; Executor classes there: {', '.join(known)}" if known else '; no Executor class is defined there'
        raise StartupError(f'class {jtype} not found in {where}{hint}')
    if not issubclass(found, Executor):
        raise StartupError(f'{jtype} in {where} is not a subclass of jina.Executor')
    return found


def construct(cls, spec, label):
    """cls(**with, metas=..., requests=..., runtime_args=...), as Jina builds executors; keyword
    arguments the constructor cannot take are left out (with a warning for `with:` keys)."""
    metas = dict(spec.get('metas') or {})
    if not metas.get('name'):
        metas['name'] = spec.get('name') or cls.__name__
    if not metas.get('workspace') and spec.get('workspace'):
        metas['workspace'] = spec['workspace']
    # Jina's runtime_args. A Flow sends them as "runtime"; served alone, it is shard 0 of 1.
    runtime_args = {'name': label or metas['name'], 'label': label, 'workspace': spec.get('workspace'),
                    'py_modules': metas.get('py_modules'), 'shard_id': 0, 'pea_id': 0, 'shards': 1, 'parallel': 1,
                    'replica_id': 0, 'replicas': 1, 'polling': 'ANY'}
    runtime_args.update(spec.get('runtime') or {})
    framework = {'metas': metas, 'requests': spec.get('requests') or {}, 'runtime_args': runtime_args}
    given = dict(spec.get('with') or {})

    init_params = inspect.signature(cls.__init__).parameters
    takes_any = any(p.kind == p.VAR_KEYWORD for p in init_params.values())
    named_anywhere = {name for klass in cls.__mro__ if '__init__' in vars(klass)
                      for name in inspect.signature(klass.__init__).parameters}
    for key in given:
        if key not in named_anywhere:
            print(f"warning: {cls.__name__}: with: '{key}' is not a parameter of {cls.__name__}.__init__"
                  f"{'' if takes_any else ' (left out)'}", file=sys.stderr)
    arguments = {k: v for k, v in {**given, **framework}.items() if takes_any or k in init_params}
    # __new__ gets metas, requests and runtime_args even when __init__ cannot take them, so the
    # executor has them whatever its __init__ looks like.
    executor = cls.__new__(cls, **framework)
    executor._init_kwargs = given
    executor.__init__(**arguments)
    return executor


def start(spec, label):
    """The executor, built from the spec; StartupError when it cannot be."""
    jtype = spec.get('jtype')
    if not jtype:
        raise StartupError('the spec names no class (jtype)')
    modules = []
    for path in (spec.get('metas') or {}).get('py_modules') or []:
        try:
            modules.append(import_user_module(path))
        except StartupError:
            raise
        except BaseException as e:
            raise StartupError(f'cannot import {path}: {_describe(e)}', _user_traceback(e))
    cls = find_class(jtype, modules)
    try:
        return construct(cls, spec, label)
    except BaseException as e:
        raise StartupError(f'{jtype}(...) raised {_describe(e)}', _user_traceback(e))


# Serving.

_signatures = {}


def call(function, executor, available):
    """Calls the bound method with the keyword arguments it takes (all of them for **kwargs)."""
    accepted = _signatures.get(function)
    if accepted is None:
        params = inspect.signature(function).parameters
        if any(p.kind == p.VAR_KEYWORD for p in params.values()):
            accepted = _signatures[function] = set(available)
        else:
            accepted = _signatures[function] = set(params) & set(available)
    result = function(executor, **{k: v for k, v in available.items() if k in accepted})
    if inspect.isawaitable(result):
        result = asyncio.run(_await(result))
    return result


async def _await(awaitable):
    return await awaitable


def docs_matrix(docs, splits):
    """The documents of each upstream branch of a join (`splits`: their counts, in needs order)."""
    if not isinstance(splits, list) or len(splits) < 2:
        return None
    matrix, start = [], 0
    for count in splits:
        matrix.append(docs[start:start + int(count)])
        start += int(count)
    return matrix


def encode(docs):
    data = docs._encode()
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(',', ':'), allow_nan=False, default=json_default)
        return text.encode('utf-8')
    except UnicodeEncodeError:  # lone surrogates from a "\ud800" escape: keep them escaped
        return json.dumps(data, separators=(',', ':'), allow_nan=False, default=json_default).encode('ascii')


def answer(executor, name, header, body):
    """The (header, body) answering one call."""
    call_id = header.get('id')
    endpoint = header.get('endpoint') or __default_endpoint__
    function = executor.requests.get(endpoint) or executor.requests.get(__default_endpoint__)
    if function is None:  # nothing bound: pass through, documents unchanged and not sent back
        return {'v': 1, 'kind': 'result', 'id': call_id}, b''
    try:
        docs = DocumentArray._wrap(json.loads(body)) if body else DocumentArray()
        result = call(function, executor, {
            'docs': docs,
            'parameters': header.get('parameters') or {},
            'docs_matrix': docs_matrix(docs, header.get('splits')),
            'groundtruths': None,
            'groundtruths_matrix': None,
        })
        if result is None or isinstance(result, dict):
            # None: the changes were made in place. A dict is new parameters in later Jina 2.x;
            # the protocol has no place for them, so the documents go on as they are.
            out = docs
        elif isinstance(result, DocumentArray):
            out = result
        elif isinstance(result, (list, tuple)) and all(isinstance(d, Document) for d in result):
            out = DocumentArray(result)
        else:
            raise TypeError(f'{function.__name__} returned {type(result).__name__}; '
                            f'return a DocumentArray, a list of Documents, or None')
        return {'v': 1, 'kind': 'result', 'id': call_id, 'count': len(out)}, encode(out)
    except Exception as e:
        stacks = _user_traceback(e)
        print(f'{_describe(e)} (in {type(executor).__name__}.{getattr(function, "__name__", "?")} at {endpoint})\n'
              + stacks, file=sys.stderr, end='', flush=True)
        status = {'code': 1, 'description': _describe(e), 'exception': {
            'name': type(e).__name__, 'args': [str(a) for a in e.args], 'stacks': stacks.splitlines(),
            'executor': name}}
        error = {'v': 1, 'kind': 'error', 'id': call_id, 'status': status}
        if 'count' in header:
            error['count'] = header['count']
        return error, body  # the documents as they came


def _describe(e):
    message = str(e)
    return f'{type(e).__name__}: {message}' if message else type(e).__name__


def _user_traceback(e):
    """The traceback from the first frame outside this file (all of it if none is)."""
    tb = e.__traceback__
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) == os.path.abspath(__file__):
        tb = tb.tb_next
    return ''.join(traceback.format_exception(type(e), e, tb or e.__traceback__))


def serve(channel, executor, name):
    channel.send({'v': 1, 'kind': 'hello', 'name': name, 'endpoints': sorted(executor.requests),
                  'max_frame': MAX_FRAME, 'pid': os.getpid()})
    while True:
        frame = channel.read()
        if frame is None:
            return
        header, body = frame
        kind = header.get('kind')
        if kind == 'goodbye':
            return
        if kind == 'call':  # a cancel needs nothing: calls are answered in order, one at a time
            channel.send(*answer(executor, name, header, body))


def main(argv=None):
    parser = argparse.ArgumentParser(description='Serves a Jina Executor class over the executor protocol.')
    parser.add_argument('--spec', required=True, help='the executor as JSON: jtype, with, metas, requests, name, workspace')
    parser.add_argument('--label', help="the executor's name in the Flow (for messages)")
    args = parser.parse_args(argv)
    channel = claim_stdio()
    try:
        spec = json.loads(args.spec)
    except ValueError as e:
        spec = f'not valid JSON ({e})'
    if not isinstance(spec, dict):
        print(f'jina_executor_host: --spec must be a JSON object: {spec}', file=sys.stderr)
        return 1
    who = args.label or spec.get('name') or spec.get('jtype') or 'executor'
    try:
        executor = start(spec, args.label)
    except StartupError as e:
        print(f'cannot start {spec.get("jtype")}: {e}', file=sys.stderr)
        if e.detail:
            print(e.detail, file=sys.stderr, end='')
        return 1
    name = spec.get('name') or executor.metas.name
    try:
        serve(channel, executor, name)
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the Flow has gone; nothing is left to answer
    finally:
        try:
            executor.close()
        except Exception as e:
            print(f'{who}: close() raised {_describe(e)}\n{_user_traceback(e)}', file=sys.stderr, end='')
    return 0


if __name__ == '__main__':
    sys.exit(main())
