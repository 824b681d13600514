"""Document and DocumentArray: Jina 2's data types over the JSON that travels between executors
(SPEC §6).

A Document wraps the JSON object it came as and reads and writes its fields in that object, so
what an executor leaves alone goes out exactly as it came in, unknown keys and key order included.
Fields that are Python objects rather than JSON values (arrays, chunks, matches, scores, and tags
made on first use) are built when first read and written back when the document is encoded.
"""
import base64
import collections
import copy as _copy
import hashlib
import itertools
import json
import mimetypes
import os
import pickle
import random
import re
import urllib.parse
import uuid
from collections.abc import MutableMapping, MutableSequence

from . import ndarray

__all__ = ['Document', 'DocumentArray', 'NamedScore', 'TraversableSequence', 'json_default']


def _field(name, default, convert=None):
    """A plain JSON field: absent reads as Jina's default, None removes it."""
    def get(self):
        return self._data.get(name, default)

    def set(self, value):
        if value is None:
            self._data.pop(name, None)
        else:
            self._data[name] = convert(value) if convert else value

    return property(get, set, doc=f'`{name}`; {default!r} when absent')


def _array_field(name):
    return property(lambda self: self._get_array(name), lambda self, value: self._set_array(name, value),
                    doc=f'`{name}` as a numpy array (nested lists without numpy); None when absent')


# What Jina 2's content hash leaves out.
_NOT_CONTENT = frozenset(('id', 'parent_id', 'chunks', 'matches', 'content_hash'))


class Document:
    """One document. `Document(text=...)`, `Document(content=...)`, `Document(dict)`,
    `Document(json_string)`, `Document(other_document, copy=True)`."""

    def __init__(self, document=None, copy=False, **kwargs):
        self._lazy = {}
        if isinstance(document, Document):
            if copy:
                self._data = _copy.deepcopy(document._encode())
            else:  # a view of the same document, as in Jina
                self._data, self._lazy = document._data, document._lazy
        elif isinstance(document, str):
            data = json.loads(document)
            if not isinstance(data, dict):
                raise ValueError(f'a Document is a JSON object, not {type(data).__name__}')
            self._data = data
        elif isinstance(document, dict):
            self._data = {}
            for key, value in document.items():
                if key == 'content' or (key in _PROPERTIES and not _is_json(value)):
                    setattr(self, key, value)  # arrays, bytes, Documents: converted by the property
                else:
                    self._data[key] = _copy.deepcopy(value)
        elif document is None:
            self._data = {}
        else:
            raise TypeError(f'cannot make a Document from {type(document).__name__}; '
                            f'to set its content use Document(content=...)')
        if 'id' not in self._data:
            self._data = {'id': uuid.uuid4().hex, **self._data}
        for key, value in kwargs.items():
            if key in _PROPERTIES:
                setattr(self, key, value)
            else:  # Jina's rule for keyword arguments that are not fields
                self.tags[key] = value

    @classmethod
    def _wrap(cls, data):
        """A document as it arrived: the JSON object itself, nothing added (not even an id)."""
        if not isinstance(data, dict):
            raise TypeError(f'a Document is a JSON object, not {type(data).__name__}: {json.dumps(data)[:60]}')
        doc = cls.__new__(cls)
        doc._data, doc._lazy = data, {}
        return doc

    # Plain fields.
    text = _field('text', '', str)
    uri = _field('uri', '', str)
    mime_type = _field('mime_type', '', str)
    parent_id = _field('parent_id', '', str)
    modality = _field('modality', '', str)
    content_hash = _field('content_hash', '', str)
    weight = _field('weight', 0.0, float)
    granularity = _field('granularity', 0, int)
    adjacency = _field('adjacency', 0, int)
    offset = _field('offset', 0, int)
    location = _field('location', [], list)
    blob = _array_field('blob')
    tensor = blob  # the docarray name; `tensor` in the JSON is read as `blob` too
    embedding = _array_field('embedding')

    @property
    def id(self):
        """The id; one is made (uuid hex) the first time a document without one is asked."""
        if 'id' not in self._data:
            self._data['id'] = uuid.uuid4().hex
        return self._data['id']

    @id.setter
    def id(self, value):
        self._data['id'] = str(value)

    @text.setter
    def text(self, value):
        if value is None:
            self._data.pop('text', None)
            return
        self._data['text'] = str(value)
        if not self._data.get('mime_type'):
            self._data['mime_type'] = 'text/plain'

    @uri.setter
    def uri(self, value):
        if value is None:
            self._data.pop('uri', None)
            return
        self._data['uri'] = str(value)
        if not self._data.get('mime_type'):
            guessed = mimetypes.guess_type(str(value))[0]
            if guessed:
                self._data['mime_type'] = guessed

    @property
    def buffer(self):
        """`buffer` as bytes (base64 in the JSON); b'' when absent."""
        value = self._data.get('buffer')
        return base64.b64decode(value) if isinstance(value, str) else b''

    @buffer.setter
    def buffer(self, value):
        if value is None:
            self._data.pop('buffer', None)
        else:
            self._data['buffer'] = base64.b64encode(bytes(value)).decode('ascii')

    @property
    def content(self):
        """The first of text, buffer, blob and uri that is set; None when none is."""
        if 'text' in self._data:
            return self.text
        if 'buffer' in self._data:
            return self.buffer
        if self.blob is not None:
            return self.blob
        if 'uri' in self._data:
            return self.uri
        return None

    @content.setter
    def content(self, value):
        if value is None:
            return
        if isinstance(value, (bytes, bytearray)):
            self.buffer = value
        elif isinstance(value, str):
            if _looks_like_uri(value):
                self.uri = value
            else:
                self.text = value
        else:
            self.blob = value

    @property
    def tags(self):
        """`tags` as a dict, changed in place."""
        tags = self._data.get('tags')
        if isinstance(tags, dict):
            return tags
        return self._lazy.setdefault('tags', {})

    @tags.setter
    def tags(self, value):
        self._lazy.pop('tags', None)
        if value is None:
            self._data.pop('tags', None)
        else:
            self._data['tags'] = dict(value)

    @property
    def chunks(self):
        """Sub-documents; appending one sets its parent_id and granularity."""
        return self._get_docs('chunks', ChunkArray)

    @chunks.setter
    def chunks(self, value):
        self._set_docs('chunks', ChunkArray, value)

    @property
    def matches(self):
        """Matching documents; appending one sets its adjacency and granularity."""
        return self._get_docs('matches', MatchArray)

    @matches.setter
    def matches(self, value):
        self._set_docs('matches', MatchArray, value)

    @property
    def scores(self):
        """`scores['cosine'].value`; also a dict of name -> NamedScore."""
        return self._get_scores('scores')

    @scores.setter
    def scores(self, value):
        self._set_scores('scores', value)

    @property
    def evaluations(self):
        return self._get_scores('evaluations')

    @evaluations.setter
    def evaluations(self, value):
        self._set_scores('evaluations', value)

    # Methods.

    def pop(self, *fields):
        """Removes fields: `doc.pop('buffer', 'uri')`."""
        for name in fields:
            self._lazy.pop(name, None)
            self._data.pop(name, None)
            if name in ('blob', 'tensor'):
                self._lazy.pop('blob', None)
                self._data.pop('blob', None)
                self._data.pop('tensor', None)

    def update(self, source, fields=None):
        """Copies `fields` (all but `id` when None) from another Document into this one."""
        data = source._encode()
        for name in fields or [k for k in data if k != 'id']:
            if name in _PROPERTIES:
                setattr(self, name, getattr(source, name))
            elif name in data:
                self._data[name] = _copy.deepcopy(data[name])

    def get_vocabulary(self, text_attrs=('text',)):
        """Word -> how often it occurs in `text_attrs`, as a Counter (Jina 2's tokens: lower-cased,
        split at white space and punctuation other than the apostrophe); an attribute may be a
        path such as tags__title."""
        return collections.Counter(word for attr in text_attrs for word in _words(self.get_attributes(attr)))

    # Jina 2's conversions that need no third-party library (uri: a data URI, a file or an http URL).

    def convert_text_to_uri(self, charset='utf-8', base64=False):
        self.uri = _data_uri((self.text or '').encode(charset), self.mime_type or 'text/plain', charset, base64)

    def convert_buffer_to_uri(self, charset='utf-8', base64=False):
        self.uri = _data_uri(self.buffer or b'', self.mime_type or 'application/octet-stream', charset, base64)

    def convert_content_to_uri(self):
        if self.text is not None:
            self.convert_text_to_uri()
        elif self.buffer is not None:
            self.convert_buffer_to_uri(base64=True)
        else:
            raise ValueError('the document has no text or buffer to convert to a uri')

    def convert_uri_to_buffer(self):
        self.buffer = _read_uri(self.uri)

    def convert_uri_to_text(self, charset='utf-8'):
        self.text = _read_uri(self.uri).decode(charset)

    load_uri_to_buffer = convert_uri_to_buffer
    load_uri_to_text = convert_uri_to_text

    def convert_buffer_to_blob(self, dtype=None, count=-1, offset=0):
        """The buffer's bytes as a numpy array (`numpy.frombuffer`)."""
        import numpy as np
        self.blob = np.frombuffer(self.buffer, dtype=dtype or 'float64', count=count, offset=offset)

    def convert_blob_to_buffer(self):
        self.buffer = self.blob.tobytes()

    def get_attributes(self, *fields):
        """The value of each field (one value for one field); `tags__key` reaches into tags."""
        values = [self._attribute(name) for name in fields]
        return values[0] if len(fields) == 1 else values

    def to_dict(self):
        """The document as a JSON-ready dict (a copy)."""
        return _copy.deepcopy(self._encode())

    def dict(self, prettify_ndarrays=False):
        """Jina 2's name for to_dict (arrays are lists or, as they came, dense)."""
        return self.to_dict()

    def json(self):
        return json.dumps(self._encode(), ensure_ascii=False, default=json_default)

    def __eq__(self, other):
        """Equal fields (Jina 2.1 compared the protobufs). Hashing stays by identity, as in Jina
        2.0, so documents can still be set members and dict keys."""
        if not isinstance(other, Document):
            return NotImplemented
        return self is other or self._fields() == other._fields()

    __hash__ = object.__hash__

    def _fields(self):
        """The encoded fields with arrays as lists, whatever form they came in, to compare."""
        data = dict(self._encode())
        for key in ('embedding', 'blob', 'tensor'):
            if key in data:
                data[key] = ndarray.encode(ndarray.decode(data[key])[0], 'list')
        for key in ('chunks', 'matches'):
            if isinstance(data.get(key), list):
                data[key] = [Document._wrap(d)._fields() for d in data[key]]
        return data

    def __repr__(self):
        return f'Document({json.dumps(self._encode(), ensure_ascii=False, default=json_default)})'

    # Internals.

    @property
    def content_hash(self):
        """Jina 2's content hash: equal for documents that differ only in `id`, `parent_id`,
        `chunks` and `matches` (the exclusions of Jina 2's `update_content_hash`). A digest of
        the rest of the document's JSON, keys sorted; the value stored by `update_content_hash`
        if there is one."""
        stored = self._data.get('content_hash')
        if stored:
            return stored
        fields = {k: v for k, v in self._encode().items() if k not in _NOT_CONTENT}
        return hashlib.blake2b(json.dumps(fields, sort_keys=True, default=json_default).encode(), digest_size=8).hexdigest()

    @content_hash.setter
    def content_hash(self, value):
        self._data['content_hash'] = value

    def update_content_hash(self, exclude_fields=None, include_fields=None):
        """Stores the content hash in the document (`content_hash`), as Jina 2 did."""
        self._data.pop('content_hash', None)
        excluded = set(exclude_fields) if exclude_fields is not None else _NOT_CONTENT
        fields = {k: v for k, v in self._encode().items()
                  if (k in include_fields if include_fields else k not in excluded) and k != 'content_hash'}
        self._data['content_hash'] = hashlib.blake2b(json.dumps(fields, sort_keys=True, default=json_default).encode(),
                                                     digest_size=8).hexdigest()

    def _attribute(self, name):
        if '__' in name:
            head, *path = name.split('__')
            value = self._attribute(head)
            for key in path:
                if isinstance(value, NamedScoreMap):
                    # Jina 2 read scores through their protobuf: scores__values__<name>__value
                    if key != 'values':
                        value = value[key] if key in value else None
                elif isinstance(value, (dict, MutableMapping)):
                    value = value.get(key)
                else:
                    value = getattr(value, key, None)
            return value
        if name in _PROPERTIES:
            return getattr(self, name)
        return self._data.get(name)

    def _encode(self):
        """Writes what was built from the JSON back into it; returns the JSON object."""
        for name, value in self._lazy.items():
            if isinstance(value, _Array):
                if value.array is None:
                    self._data.pop(value.key, None)
                else:
                    self._data[value.key] = ndarray.encode(value.array, value.form)
            elif name in self._data or len(value):  # an empty container made by reading stays out
                if isinstance(value, DocumentArray):
                    self._data[name] = value._encode()
                elif isinstance(value, NamedScoreMap):
                    self._data[name] = value._raw
                else:
                    self._data[name] = value
        return self._data

    def _get_array(self, name):
        entry = self._lazy.get(name)
        if entry is None:
            key = 'tensor' if name == 'blob' and 'blob' not in self._data and 'tensor' in self._data else name
            if key not in self._data:
                return None
            array, form = ndarray.decode(self._data[key])
            entry = self._lazy[name] = _Array(key, array, form)
        return entry.array

    def _set_array(self, name, value):
        entry = self._lazy.get(name)
        if entry is None:
            key = 'tensor' if name == 'blob' and 'blob' not in self._data and 'tensor' in self._data else name
            # A field that came in the dense form goes out in it; a new one is a plain list.
            entry = self._lazy[name] = _Array(key, None, ndarray.form_of(self._data.get(key)))
        elif entry.form == 'raw':
            entry.form = 'list'
        if isinstance(value, (list, tuple)) and ndarray.numpy():
            value = ndarray.numpy().asarray(value)
        entry.array = value

    def _get_docs(self, name, kind):
        docs = self._lazy.get(name)
        if docs is None:
            docs = kind(self)
            raw = self._data.get(name)
            if isinstance(raw, list):  # as they came: no parent_id or granularity rewritten
                docs._docs = [Document._wrap(d) for d in raw]
            self._lazy[name] = docs
        return docs

    def _set_docs(self, name, kind, value):
        docs = self._get_docs(name, kind)
        value = list(value or [])
        docs.clear()
        docs.extend(value)

    def _get_scores(self, name):
        scores = self._lazy.get(name)
        if scores is None:
            raw = self._data.get(name)
            scores = self._lazy[name] = NamedScoreMap(raw if isinstance(raw, dict) else {})
        return scores

    def _set_scores(self, name, value):
        self._lazy[name] = scores = NamedScoreMap({})
        for key, score in (value or {}).items():
            scores[key] = score


class _Array:
    """An array field read or set: where it goes (`blob` or `tensor`) and in which form."""
    __slots__ = ('key', 'array', 'form')

    def __init__(self, key, array, form):
        self.key, self.array, self.form = key, array, form


_PROPERTIES = {name for name, value in vars(Document).items() if isinstance(value, property)}


_NOT_IN_WORDS = str.maketrans({c: ' ' for c in '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'})


def _words(text):
    """Jina 2's tokens (Keras's text_to_word_sequence): lower-cased, punctuation made a space."""
    return [w for w in str(text or '').lower().translate(_NOT_IN_WORDS).split(' ') if w]


def _data_uri(data, mime_type, charset, as_base64):
    if as_base64:
        return f'data:{mime_type};charset={charset};base64,' + base64.b64encode(data).decode()
    return f'data:{mime_type};charset={charset},' + urllib.parse.quote(data)


def _read_uri(uri):
    """The bytes a uri names: a data URI, a local file, or an http(s) URL."""
    if not uri:
        raise ValueError('the document has no uri')
    if uri.startswith('data:'):
        header, _, payload = uri.partition(',')
        return base64.b64decode(payload) if header.endswith(';base64') else urllib.parse.unquote_to_bytes(payload)
    if uri.startswith(('http://', 'https://')):
        from urllib.request import urlopen
        with urlopen(uri) as response:
            return response.read()
    with open(uri[len('file://'):] if uri.startswith('file://') else uri, 'rb') as file:
        return file.read()


def _is_json(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False


def _looks_like_uri(text):
    scheme = urllib.parse.urlparse(text).scheme
    return scheme in ('http', 'https', 'data', 'file', 'ftp', 's3', 'gs') or (len(text) < 4096 and os.path.exists(text))


class NamedScore:
    """A score: `value`, `op_name`, `description`, `ref_id`, `operands`."""

    def __init__(self, value=None, op_name=None, description=None, ref_id=None, operands=None):
        self._data = {}
        for name, given in (('value', value), ('op_name', op_name), ('description', description),
                            ('ref_id', ref_id), ('operands', operands)):
            if given is not None:
                setattr(self, name, given)

    @classmethod
    def _wrap(cls, data):
        score = cls.__new__(cls)
        score._data = data
        return score

    value = _field('value', 0.0, float)
    op_name = _field('op_name', '', str)
    description = _field('description', '', str)
    ref_id = _field('ref_id', '', str)

    @property
    def operands(self):
        return [NamedScore._wrap(o) for o in self._data.get('operands', []) if isinstance(o, dict)]

    @operands.setter
    def operands(self, value):
        self._data['operands'] = [_score_json(o) for o in value]

    def __float__(self):
        return float(self.value)

    def __repr__(self):
        return f'NamedScore({self._data})'


def _score_json(value):
    if isinstance(value, NamedScore):
        return value._data
    if isinstance(value, dict):
        return value
    return {'value': float(value)}


class NamedScoreMap(MutableMapping):
    """`doc.scores`: name -> NamedScore over the JSON `{"name": {"value": ...}}`. Reading a
    missing name makes it (as in Jina), so `doc.scores['cosine'].value = 0.9` works."""

    def __init__(self, raw):
        self._raw = raw

    def __getitem__(self, name):
        entry = self._raw.get(name)
        if not isinstance(entry, dict):
            entry = self._raw[name] = {} if entry is None else _score_json(entry)
        return NamedScore._wrap(entry)

    def __setitem__(self, name, value):
        """A NamedScore, a dict, or a number (the value)."""
        self._raw[name] = _score_json(value)

    def __delitem__(self, name):
        del self._raw[name]

    def __iter__(self):
        return iter(self._raw)

    def __len__(self):
        return len(self._raw)

    def __contains__(self, name):
        return name in self._raw

    def __repr__(self):
        return f'NamedScoreMap({self._raw})'


def _require_numpy(what):
    np = ndarray.numpy()
    if not np:
        raise ImportError(f'{what} needs numpy, which is not installed (pip install numpy)')
    return np


class DocumentArrayOps:
    """Jina 2's bulk operations, for DocumentArray and DocumentArrayMemmap: column access
    (embeddings, texts, blobs, contents), match, shuffle, sample, split, save and load.
    Setters write each document back with `self[i] = doc`, which a memmap needs to persist it."""

    def get_vocabulary(self, min_freq=1, text_attrs=('text',)):
        """Word -> index (from 2, as Jina 2: 0 and 1 are kept for padding and unknown), in order of
        first occurrence, over the words of `text_attrs` of every document that occur at least
        `min_freq` times."""
        counts = collections.Counter()
        for doc in self:
            counts.update(doc.get_vocabulary(text_attrs))
        return {word: i for i, word in enumerate((w for w, n in counts.items() if n >= min_freq), start=2)}

    def _set_column(self, name, values):
        values = list(values)
        if len(values) != len(self):
            raise ValueError(f'{len(values)} {name} for {len(self)} documents: they must be as many')
        for i, value in enumerate(values):
            doc = self[i]
            setattr(doc, name, value)
            self[i] = doc

    def _stack(self, name):
        np = _require_numpy(f'DocumentArray.{name}s')
        rows = []
        for i, doc in enumerate(self):
            value = getattr(doc, name)
            if value is None:
                raise ValueError(f'document {i} (id {doc.id!r}) has no {name}')
            rows.append(np.asarray(value))
        if not rows:
            return np.zeros((0, 0))
        try:
            return np.stack(rows)
        except ValueError:
            raise ValueError(f'the {name}s of the documents do not all have the same shape') from None

    @property
    def embeddings(self):
        """The documents' embeddings stacked as the rows of a numpy array (numpy needed)."""
        return self._stack('embedding')

    @embeddings.setter
    def embeddings(self, value):
        self._set_column('embedding', value)

    @property
    def blobs(self):
        """The documents' blobs stacked along a new first axis (numpy needed)."""
        return self._stack('blob')

    @blobs.setter
    def blobs(self, value):
        self._set_column('blob', value)

    @property
    def texts(self):
        """The documents' texts, as a list."""
        return [doc.text for doc in self]

    @texts.setter
    def texts(self, value):
        self._set_column('text', value)

    @property
    def contents(self):
        """The documents' contents (text, buffer, blob or uri), as a list."""
        return [doc.content for doc in self]

    @contents.setter
    def contents(self, value):
        self._set_column('content', value)

    def match(self, darray, metric='cosine', limit=20, normalization=None, use_scipy=False,
              metric_name=None, batch_size=None, exclude_self=False, is_distance=True):
        """For each document, its `limit` nearest documents of `darray` by embedding, as its
        matches (replacing those it had, as in Jina 2.1), each a copy with
        `scores[metric_name or metric].value` set, best first.

        metric: 'cosine', 'euclidean', 'sqeuclidean' (numpy), any scipy cdist metric with
        use_scipy=True, or a function (x_mat, y_mat) -> matrix. is_distance=False says the metric
        gives similarities (bigger is better), sorted descending. normalization=(a, b) rescales
        each row's values so its minimum over all of `darray` becomes a and its maximum b (taken
        before keeping the top `limit`). exclude_self drops a match with the document's own id
        (after the top `limit` are taken, as Jina does). batch_size is accepted and ignored.
        """
        if not (len(self) and len(darray)):
            return
        np = _require_numpy('DocumentArray.match')
        if callable(metric):
            cdist = lambda x, y: metric(x, y)  # noqa: E731
            metric_name = metric_name or getattr(metric, '__name__', 'metric')
        elif isinstance(metric, str):
            if use_scipy:
                from scipy.spatial.distance import cdist as scipy_cdist
                cdist = lambda x, y: scipy_cdist(x, y, metric)  # noqa: E731
            else:
                cdist = lambda x, y: _cdist(np, x, y, metric)  # noqa: E731
            metric_name = metric_name or metric
        else:
            raise TypeError(f'metric must be a name or a function of two matrices, not {metric!r}')
        limit = len(darray) if limit is None else int(limit)

        x_mat = self.embeddings.astype(float)
        y_mat = darray.embeddings.astype(float)
        x_mat = x_mat.reshape(len(x_mat), -1)
        y_mat = y_mat.reshape(len(y_mat), -1)
        values = np.asarray(cdist(x_mat, y_mat), dtype=float)
        sort_by = values if is_distance else -values
        order = np.argsort(sort_by, axis=1, kind='stable')[:, :min(limit, values.shape[1])]
        top = np.take_along_axis(values, order, axis=1)
        if isinstance(normalization, (tuple, list)):
            a, b = normalization
            min_d = values.min(axis=-1, keepdims=True)
            max_d = values.max(axis=-1, keepdims=True)
            top = (b - a) * (top - min_d) / (max_d - min_d + 1e-7) + a  # Jina's minmax_normalize

        own_ids = {doc.id for doc in self}
        for i, (indices, scores) in enumerate(zip(order, top)):
            query = self[i]
            query.matches.clear()
            for j, score in zip(indices, scores):
                match = Document(darray[int(j)], copy=True)
                if exclude_self and match.id == query.id:
                    continue
                if match.id in own_ids:  # no document inside its own matches (jina#3034)
                    match.pop('matches')
                match.scores[metric_name] = NamedScore(value=float(score))
                query.matches.append(match)
            self[i] = query

    def sample(self, k, seed=None):
        """k documents picked at random, without replacement, as a new DocumentArray."""
        rng = random.Random(seed)
        return DocumentArray([self[i] for i in rng.sample(range(len(self)), k)])

    def shuffle(self, seed=None):
        """The documents in random order, as a new DocumentArray (self is unchanged, as in Jina 2)."""
        return self.sample(len(self), seed=seed)

    def split(self, tag):
        """{tag value: DocumentArray of the documents with it}, in order; documents without the
        tag are left out. `a__b` reaches into nested tags."""
        groups = {}
        for doc in self:
            value = doc.tags
            for key in tag.split('__'):
                value = value.get(key) if isinstance(value, (dict, MutableMapping)) else None
            if value is None:
                continue
            groups.setdefault(_hashable(value), DocumentArray()).append(doc)
        return groups

    def save(self, file, file_format='json'):
        """Writes the documents to a file name or open file: 'json' (one JSON document a line) or 'binary'."""
        if file_format == 'json':
            self.save_json(file)
        elif file_format == 'binary':
            self.save_binary(file)
        else:
            raise ValueError(f"file_format must be 'json' or 'binary', not {file_format!r}")

    @classmethod
    def load(cls, file, file_format='json'):
        """The DocumentArray saved by save() (a file name or an open file)."""
        if file_format == 'json':
            return cls.load_json(file)
        if file_format == 'binary':
            return cls.load_binary(file)
        raise ValueError(f"file_format must be 'json' or 'binary', not {file_format!r}")

    def save_json(self, file):
        """One document's JSON a line, as Jina 2's save_json."""
        with _open(file, 'w') as fp:
            for doc in self:
                fp.write(doc.json())
                fp.write('\n')

    @classmethod
    def load_json(cls, file):
        with _open(file, 'r') as fp:
            return DocumentArray(Document(line) for line in fp if line.strip())

    def save_binary(self, file):
        """Not Jina's protobuf: a pickle of the documents' JSON dicts (no protobuf here)."""
        data = [json.loads(doc.json()) for doc in self]
        with _open(file, 'wb') as fp:
            pickle.dump({'jina-document-array': 1, 'docs': data}, fp, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load_binary(cls, file):
        with _open(file, 'rb') as fp:
            data = pickle.load(fp)
        if not isinstance(data, dict) or 'docs' not in data:
            raise ValueError('not a file written by DocumentArray.save_binary')
        return DocumentArray(Document(d) for d in data['docs'])


def _cdist(np, x_mat, y_mat, metric):
    """Jina 2.1's jina.math.distance.cdist for dense arrays."""
    if metric == 'cosine':
        eps = 1e-7
        return 1 - np.clip((np.dot(x_mat, y_mat.T) + eps) / (
            np.outer(np.linalg.norm(x_mat, axis=1), np.linalg.norm(y_mat, axis=1)) + eps), -1, 1)
    if metric in ('sqeuclidean', 'euclidean'):
        squared = np.sum(y_mat ** 2, axis=1) + np.sum(x_mat ** 2, axis=1)[:, np.newaxis] - 2 * np.dot(x_mat, y_mat.T)
        squared = np.maximum(squared, 0)  # rounding can make it slightly negative
        return squared if metric == 'sqeuclidean' else np.sqrt(squared)
    raise ValueError(f"metric {metric!r} is not one of 'cosine', 'euclidean', 'sqeuclidean' "
                     f"(use_scipy=True for scipy's metrics)")


def _hashable(value):
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


class _open:
    """A file name opened (and closed) or an open file used as it is."""

    def __init__(self, file, mode):
        self.file, self.mode, self.opened = file, mode, None

    def __enter__(self):
        if hasattr(self.file, 'write' if self.mode[0] == 'w' else 'read'):
            return self.file
        self.opened = open(self.file, self.mode, **({} if 'b' in self.mode else {'encoding': 'utf-8'}))
        return self.opened

    def __exit__(self, *exc):
        if self.opened is not None:
            self.opened.close()


class TraversableSequence:
    """Jina 2's traversal over a sequence whose items have `.chunks` and `.matches` (DocumentArray,
    or an executor's own sequence class built from a list): paths are 'r' the items, 'c' their
    chunks, 'm' their matches, 'cm' the chunks' matches, ...; a list or a comma-separated string."""

    def traverse(self, traversal_paths):
        """One sequence per path and root."""
        for path in _paths(traversal_paths):
            yield from _traverse(self, path)

    def traverse_flat_per_path(self, traversal_paths):
        """One flat sequence per path."""
        for path in _paths(traversal_paths):
            yield self._flatten(_traverse(self, path))

    def traverse_flat(self, traversal_paths):
        """Everything the paths reach, as one flat sequence."""
        return self._flatten(self.traverse(traversal_paths))

    @classmethod
    def _flatten(cls, sequences):
        return cls(list(itertools.chain.from_iterable(sequences)))


def _paths(traversal_paths):
    if isinstance(traversal_paths, str):
        return [p.strip() for p in traversal_paths.split(',') if p.strip()]
    return list(traversal_paths)


class DocumentArray(TraversableSequence, DocumentArrayOps, MutableSequence):
    """A list of Documents: index by position, slice or id; append, extend, iterate."""

    def __init__(self, docs=None):
        self._docs = []
        if docs is not None:
            self.extend(docs)

    @classmethod
    def _wrap(cls, raw):
        """The documents of a call body (a parsed JSON array), wrapped as they are."""
        if not isinstance(raw, list):
            raise TypeError(f'the documents must be a JSON array, not {type(raw).__name__}')
        array = cls()
        for i, data in enumerate(raw):
            if not isinstance(data, dict):
                raise TypeError(f'document {i} is not a JSON object: {json.dumps(data)[:60]}')
            array._docs.append(Document._wrap(data))
        return array

    def __len__(self):
        return len(self._docs)

    def __iter__(self):
        return iter(self._docs)

    def __getitem__(self, key):
        if isinstance(key, str):
            return self._docs[self._index(key)]
        if isinstance(key, slice):
            return DocumentArray(self._docs[key])
        return self._docs[key]

    def __setitem__(self, key, value):
        if isinstance(key, str):
            key = self._index(key)
        if isinstance(key, slice):
            self._docs[key] = [_as_document(d) for d in value]
        else:
            self._docs[key] = _as_document(value)

    def __delitem__(self, key):
        del self._docs[self._index(key) if isinstance(key, str) else key]

    def __contains__(self, item):
        if isinstance(item, str):
            return any(d._data.get('id') == item for d in self._docs)
        return any(d is item for d in self._docs)

    def insert(self, index, doc):
        self._docs.insert(index, _as_document(doc))

    def clear(self):
        self._docs.clear()

    def sort(self, key=None, reverse=False):
        self._docs.sort(key=key, reverse=reverse)

    def __add__(self, other):
        return DocumentArray(list(self) + list(other))

    def __eq__(self, other):
        """The same documents in the same order (Jina 2: and the same kind of array)."""
        if not isinstance(other, DocumentArray):
            return NotImplemented
        return type(self) is type(other) and self._docs == other._docs

    def get_attributes(self, *fields):
        """The field's value for each document (one list per field when several are asked)."""
        return self.get_attributes_with_docs(*fields)[0]

    def get_attributes_with_docs(self, *fields):
        """(values, docs): as get_attributes, leaving out documents where a field is None (for
        example those without a blob), and the DocumentArray of the documents kept."""
        values, kept = [], []
        for doc in self._docs:
            value = [doc._attribute(name) for name in fields]
            if any(v is None for v in value):
                continue
            values.append(value[0] if len(fields) == 1 else value)
            kept.append(doc)
        if len(fields) > 1:
            values = [list(column) for column in zip(*values)] or [[] for _ in fields]
        return values, DocumentArray(kept)

    def traverse_flat(self, traversal_paths):
        """The documents at the given paths, as one DocumentArray (the same Document objects, so
        changes made through it are made to the documents)."""
        if _paths(traversal_paths) == ['r']:
            return self
        return super().traverse_flat(traversal_paths)

    @classmethod
    def _flatten(cls, sequences):
        flat = DocumentArray()
        for docs in sequences:
            flat._docs.extend(docs)
        return flat

    def to_list(self):
        """The documents as JSON-ready dicts (copies)."""
        return [d.to_dict() for d in self._docs]

    def json(self):
        return json.dumps(self._encode(), ensure_ascii=False, default=json_default)

    def _encode(self):
        return [d._encode() for d in self._docs]

    def _index(self, doc_id):
        for i, d in enumerate(self._docs):
            if d._data.get('id') == doc_id:
                return i
        raise KeyError(doc_id)

    def __repr__(self):
        return f'<{type(self).__name__} (length={len(self)})>'

    def __str__(self):
        return '\n'.join([f'{type(self).__name__} has {len(self)} items:'] + [repr(d) for d in self._docs])


def _traverse(docs, path):
    if not path:
        yield docs
        return
    step, rest = path[0], path[1:]
    if step == 'r':
        yield from _traverse(docs, rest)
    elif step in ('c', 'm'):
        for doc in docs:
            yield from _traverse(doc.chunks if step == 'c' else doc.matches, rest)
    else:
        raise ValueError(f"unknown traversal path {path!r}: its letters are r (the documents), c (chunks) and m (matches)")


class ChunkArray(DocumentArray):
    """`doc.chunks`: a chunk added here is a copy (as in Jina 2, where it went into the parent's
    protobuf) with parent_id = the document's id and its granularity + 1."""

    def __init__(self, reference_doc):
        super().__init__()
        self._ref = reference_doc

    def insert(self, index, doc):
        doc = Document(_as_document(doc), copy=True)
        doc.parent_id = self._ref.id
        doc.granularity = self._ref.granularity + 1
        if not doc.mime_type and self._ref.mime_type:
            doc.mime_type = self._ref.mime_type
        self._docs.insert(index, doc)


class MatchArray(DocumentArray):
    """`doc.matches`: a match added here is a copy (as in Jina 2: the same indexed document can
    be a match of several queries, each with its own scores) with adjacency + 1, the document's
    granularity, and ref_id = the document's id on its scores."""

    def __init__(self, reference_doc):
        super().__init__()
        self._ref = reference_doc

    def insert(self, index, doc):
        doc = Document(_as_document(doc), copy=True)
        doc.granularity = self._ref.granularity
        doc.adjacency = self._ref.adjacency + 1
        for name in list(doc.scores):
            doc.scores[name].ref_id = self._ref.id
        self._docs.insert(index, doc)


def _as_document(value):
    if isinstance(value, Document):
        return value
    if isinstance(value, (dict, str)):
        return Document(value)
    raise TypeError(f'a DocumentArray holds Documents, not {type(value).__name__}')


def json_default(value):
    """What json.dumps does with the Python values executors put in tags and parameters."""
    if isinstance(value, Document):
        return value._encode()
    if isinstance(value, DocumentArray):
        return value._encode()
    if isinstance(value, NamedScore):
        return value._data
    if isinstance(value, NamedScoreMap):
        return value._raw
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode('ascii')
    if isinstance(value, (set, frozenset)):
        return list(value)
    if hasattr(value, 'tolist'):  # numpy arrays and scalars
        return value.tolist()
    raise TypeError(f'{type(value).__name__} is not JSON serializable')
