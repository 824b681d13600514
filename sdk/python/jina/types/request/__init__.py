"""What a Flow answers: one Response per request, as Jina 2's clients hand it to callbacks."""
import json
from types import SimpleNamespace

from ...document import DocumentArray, json_default

__all__ = ['Response']


def _namespace(value):
    if isinstance(value, dict):
        return SimpleNamespace(**{k: _namespace(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_namespace(v) for v in value]
    return value


class _Status(SimpleNamespace):
    """`code` (0 success, 1 error), `description`, and `exception` (name, args, stacks, executor)."""

    SUCCESS = 0
    ERROR = 1


class Response:
    """`.docs` (also `.data.docs`), `.status`, `.routes`, `.parameters`, `.header`,
    `.request_id`, `.to_dict()`, `.json()`; prints as its JSON."""

    def __init__(self, envelope):
        self._envelope = envelope
        data = envelope.get('data')
        raw = data.get('docs') if isinstance(data, dict) else data
        self._docs = DocumentArray._wrap(raw or [])

    @property
    def docs(self):
        return self._docs

    @property
    def data(self):
        return SimpleNamespace(docs=self._docs)

    @property
    def groundtruths(self):
        return DocumentArray()

    @property
    def header(self):
        return _namespace(self._envelope.get('header') or {})

    @property
    def status(self):
        status = (self._envelope.get('header') or {}).get('status') or {}
        exception = status.get('exception')
        return _Status(code=status.get('code', 0), description=status.get('description', ''),
                       exception=_namespace(exception) if exception else None)

    @property
    def is_error(self):
        return self.status.code != _Status.SUCCESS

    @property
    def request_id(self):
        return (self._envelope.get('header') or {}).get('request_id')

    @property
    def routes(self):
        return _namespace(self._envelope.get('routes') or [])

    @property
    def parameters(self):
        return self._envelope.get('parameters') or {}

    def to_dict(self):
        envelope = dict(self._envelope)
        envelope['data'] = {'docs': [d.to_dict() for d in self._docs]}
        return envelope

    def json(self):
        return json.dumps(self.to_dict(), ensure_ascii=False, default=json_default)

    def __str__(self):
        return self.json()

    def __repr__(self):
        return f'<Response {self.request_id}: {len(self._docs)} docs, status {self.status.code}>'
