"""Jina 2's Client over the gateway's HTTP API, with the standard library only: `post` (and
`index`, `search`, `update`, `delete`) sends the inputs in requests of `request_size` documents
and hands each Response to the callbacks, in order."""
import asyncio
import http.client
import inspect
import json
import sys
from functools import partialmethod

from .. import _host
from ..document import Document, DocumentArray, json_default
from ..excepts import BadClient, BadClientCallback, BadClientInput
from ..types.request import Response

__all__ = ['Client', 'AsyncClient']


def _documents(inputs):
    """The inputs as an iterator of Documents: a Document, a DocumentArray or list, a generator,
    a function returning any of these, a dict, a text, or None (no documents)."""
    if inputs is None:
        return iter(())
    if callable(inputs) and not isinstance(inputs, (Document, DocumentArray)):
        inputs = inputs()
    if isinstance(inputs, (Document, dict, str, bytes)):
        inputs = [inputs]
    try:
        items = iter(inputs)
    except TypeError:
        raise BadClientInput(f'inputs must be Documents or an iterable of them, not {type(inputs).__name__}') from None
    return (_document(item) for item in items)


def _document(item):
    if isinstance(item, Document):
        return item
    if isinstance(item, dict):
        return Document(item)
    if isinstance(item, (str, bytes)):
        return Document(content=item)
    if isinstance(item, tuple) and len(item) == 2 and all(isinstance(d, Document) for d in item):
        raise BadClientInput('(document, groundtruth) pairs are not supported: '
                             'groundtruths do not reach executors in this jina')
    raise BadClientInput(f'cannot make a Document from {type(item).__name__}')


def _batches(documents, request_size):
    """Lists of at most `request_size` Documents (all in one when it is <= 0); one empty batch
    when there are no documents, so a parameters-only request still goes out."""
    batch, sent = [], False
    for doc in documents:
        batch.append(doc)
        if 0 < request_size <= len(batch):
            yield batch
            batch, sent = [], True
    if batch or not sent:
        yield batch


class Client:
    """`Client(host='localhost', port_expose=12345)`: talks to a served Flow's HTTP gateway.
    (Jina 2's default protocol was gRPC; this client speaks HTTP, which every jina gateway serves.)"""

    def __new__(cls, *args, **kwargs):
        if _host.inside_executor:
            return _host.Inert(cls.__name__)
        return super().__new__(cls)

    def __init__(self, host='localhost', port_expose=None, port=None, protocol='http', https=False, **kwargs):
        if https:
            raise BadClient('https is not supported by this client; use http')
        self.host = '127.0.0.1' if host in ('0.0.0.0', 'localhost', None) else host
        self.port = port_expose if port_expose is not None else port
        if self.port is None:
            raise BadClient('Client needs the port of the Flow: Client(port_expose=12345)')
        self.protocol = protocol
        self.continue_on_error = False
        self._connection = None

    # -- HTTP --

    def _send(self, body):
        """POST /post; the answer's JSON (an error status too). One keep-alive connection,
        opened again when the server closed it."""
        payload = json.dumps(body, ensure_ascii=False, default=json_default).encode()
        for attempt in range(2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self.host, int(self.port), timeout=None)
            try:
                self._connection.request('POST', '/post', body=payload, headers={'Content-Type': 'application/json'})
                answer = self._connection.getresponse()
                text = answer.read()
                break
            except (ConnectionError, http.client.HTTPException, OSError) as error:
                self.close()
                if attempt == 1 or isinstance(error, ConnectionRefusedError):
                    raise BadClient(f'cannot reach the Flow at http://{self.host}:{self.port}: {error}') from None
        try:
            return json.loads(text)
        except ValueError:
            raise BadClient(f'the Flow answered HTTP {answer.status} with something that is not JSON: {text[:200]!r}') from None

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- posting --

    def _responses(self, on, inputs, parameters=None, target_peapod=None, request_size=100, **kwargs):
        target = kwargs.get('target_executor', target_peapod)
        for batch in _batches(_documents(inputs), request_size):
            body = {'execEndpoint': on, 'data': [d.to_dict() for d in batch], 'parameters': parameters or {}}
            if target:
                body['targetExecutor'] = target
            yield Response(self._send(body))

    def _callback(self, response, on_done, on_error, on_always, continue_on_error):
        """Jina 2.0's order: on_error when the request failed (if given), else on_done; then on_always."""
        def call(fn):
            try:
                fn(response)
            except Exception as error:
                if not continue_on_error:
                    raise BadClientCallback(f'the callback {getattr(fn, "__name__", fn)} raised {error!r}') from error
                print(f'error: the callback {getattr(fn, "__name__", fn)} raised {error!r}', file=sys.stderr)
        if on_error and response.is_error:
            call(on_error)
        elif on_done:
            call(on_done)
        if on_always:
            call(on_always)

    def post(self, on, inputs=None, on_done=None, on_error=None, on_always=None, parameters=None, target_peapod=None,
             request_size=100, show_progress=False, continue_on_error=False, return_results=False, **kwargs):
        """Posts `inputs` to endpoint `on`; returns the Responses when `return_results`, else None."""
        results = []
        for response in self._responses(on, inputs, parameters, target_peapod, request_size, **kwargs):
            self._callback(response, on_done, on_error, on_always, continue_on_error or self.continue_on_error)
            if return_results:
                results.append(response)
        return results if return_results else None

    index = partialmethod(post, '/index')
    search = partialmethod(post, '/search')
    update = partialmethod(post, '/update')
    delete = partialmethod(post, '/delete')


class AsyncClient(Client):
    """`async for resp in client.post(...)`; inputs may also be an async generator."""

    async def post(self, on, inputs=None, on_done=None, on_error=None, on_always=None, parameters=None, target_peapod=None,
                   request_size=100, continue_on_error=False, **kwargs):
        if inspect.isasyncgenfunction(inputs):
            inputs = inputs()
        if inspect.isasyncgen(inputs):
            inputs = [doc async for doc in inputs]
        loop = asyncio.get_running_loop()
        responses = self._responses(on, inputs, parameters, target_peapod, request_size, **kwargs)
        while True:
            # Each request on a worker thread: the event loop keeps running other tasks meanwhile.
            response = await loop.run_in_executor(None, next, responses, None)
            if response is None:
                return
            self._callback(response, on_done, on_error, on_always, continue_on_error)
            yield response

    index = partialmethod(post, '/index')
    search = partialmethod(post, '/search')
    update = partialmethod(post, '/update')
    delete = partialmethod(post, '/delete')
