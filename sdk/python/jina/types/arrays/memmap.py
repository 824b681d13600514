"""DocumentArrayMemmap: a DocumentArray kept on disk, under a directory, across processes.

Not Jina's binary layout: simplicity over speed. `docs.jsonl` holds one document's JSON a line,
appended to as documents are added or replaced (each write reaches the file at once);
`index.json` lists, in order, each live document's id and the byte offset and length of its
line. The index is written by flush() (and by close(), leaving a `with` block, and at exit);
flush() also rewrites docs.jsonl without dead lines when they take more room than live ones.
Lines appended after the last flush are read back on open, so appended documents survive even
without flush(); deletions and reorderings need it.

Documents read from it are copies: change one, then store it back with `dam[i] = doc`.

One writer at a time, as with Jina's: other instances may read (and append), but an instance
that deletes, replaces or compacts should be the only one changing the directory. An instance
that only reads never writes anything.
"""
import atexit
import json
import os
import weakref
from collections.abc import MutableSequence

from ...document import Document, DocumentArray, DocumentArrayOps, _as_document

__all__ = ['DocumentArrayMemmap']

_DATA, _INDEX = 'docs.jsonl', 'index.json'
_open_arrays = weakref.WeakSet()


@atexit.register
def _flush_all():
    for dam in list(_open_arrays):
        try:
            dam.flush()
        except Exception:  # noqa: BLE001 -- at exit, nothing to report to
            pass


class DocumentArrayMemmap(DocumentArrayOps, MutableSequence):
    """`DocumentArrayMemmap(path)`: index by position, id or slice; append (a document whose id
    is already here replaces it, as in Jina), extend, del, clear, iterate, flush."""

    def __init__(self, path, key_length=36, buffer_pool_size=1000):
        self.path = str(path)
        os.makedirs(self.path, exist_ok=True)
        self._data_path = os.path.join(self.path, _DATA)
        self._index_path = os.path.join(self.path, _INDEX)
        self._file = None
        self.reload()
        _open_arrays.add(self)

    # Storage.

    def reload(self):
        """Reads the index and data files again (what another process flushed)."""
        if self._file is not None:
            self._file.close()
        self._entries = []  # [id, offset, length], in order
        self._positions = {}  # id -> position in _entries
        end = 0
        if os.path.exists(self._index_path):
            with open(self._index_path, encoding='utf-8') as fp:
                index = json.load(fp)
            self._entries = [list(e) for e in index['docs']]
            end = index['end']
        self._file = open(self._data_path, 'a+b')
        self._file.seek(0, os.SEEK_END)
        size = self._file.tell()
        if size < end:  # the data file is not the one the index was written for
            raise ValueError(f'{self.path}: {_DATA} is shorter than {_INDEX} says; the store is damaged')
        self._reindex()
        self._file.seek(end)
        offset = end
        for line in self._file.readlines():  # appended after the last flush
            if line.endswith(b'\n') and line.strip():
                doc_id = json.loads(line)['id']
                self._put(doc_id, offset, len(line))
            offset += len(line)
        self._end = offset
        self._dirty = False  # reading writes nothing, even at close

    def _reindex(self):
        self._positions = {e[0]: i for i, e in enumerate(self._entries)}

    def _put(self, doc_id, offset, length):
        position = self._positions.get(doc_id)
        if position is None:
            self._positions[doc_id] = len(self._entries)
            self._entries.append([doc_id, offset, length])
        else:
            self._entries[position] = [doc_id, offset, length]

    def _write(self, doc):
        """Appends the document's line; returns (offset, length)."""
        line = (doc.json() + '\n').encode('utf-8')
        self._file.seek(0, os.SEEK_END)
        offset = self._file.tell()
        self._file.write(line)
        self._file.flush()
        self._end = offset + len(line)
        self._dirty = True
        return offset, len(line)

    def _read(self, position):
        _, offset, length = self._entries[position]
        self._file.flush()
        self._file.seek(offset)
        return Document(self._file.read(length).decode('utf-8'))

    def flush(self):
        """Writes the index (and compacts the data file when it is mostly dead lines)."""
        if self._file is None or not self._dirty:
            return
        self._file.flush()
        self._file.seek(0, os.SEEK_END)
        size = self._file.tell()
        live = sum(e[2] for e in self._entries)
        if size > 2 * live and size == self._end:  # not when another process appended meanwhile
            self._compact()
        tmp = self._index_path + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as fp:
            # Lines past `end` (another process's appends) are read at open.
            json.dump({'end': self._end, 'docs': self._entries}, fp)
        os.replace(tmp, self._index_path)
        self._dirty = False

    save = flush  # Jina 2's name

    def _compact(self):
        tmp = self._data_path + '.tmp'
        entries = []
        with open(tmp, 'wb') as out:
            for doc_id, offset, length in self._entries:
                self._file.seek(offset)
                entries.append([doc_id, out.tell(), length])
                out.write(self._file.read(length))
        self._file.close()
        # The old index must not describe the new data file: drop it before the swap.
        if os.path.exists(self._index_path):
            os.remove(self._index_path)
        os.replace(tmp, self._data_path)
        self._file = open(self._data_path, 'a+b')
        self._entries = entries
        self._end = sum(e[2] for e in entries)

    def close(self):
        if self._file is not None:
            self.flush()
            self._file.close()
            self._file = None
            _open_arrays.discard(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass

    # Sequence.

    def __len__(self):
        return len(self._entries)

    def __bool__(self):
        return bool(self._entries)

    def __iter__(self):
        for position in range(len(self._entries)):
            yield self._read(position)

    def _position(self, key):
        if isinstance(key, str):
            if key not in self._positions:
                raise KeyError(key)
            return self._positions[key]
        key = int(key)
        if key < 0:
            key += len(self._entries)
        if not 0 <= key < len(self._entries):
            raise IndexError('DocumentArrayMemmap index out of range')
        return key

    def __getitem__(self, key):
        if isinstance(key, slice):
            return DocumentArray(self._read(i) for i in range(len(self._entries))[key])
        return self._read(self._position(key))

    def get_doc_by_key(self, key):
        return self[str(key)]

    def __setitem__(self, key, value):
        doc = _as_document(value)
        position = self._position(key)
        old_id = self._entries[position][0]
        if doc.id != old_id and doc.id in self._positions:
            raise ValueError(f'a document with id {doc.id!r} is already at another position')
        offset, length = self._write(doc)
        self._entries[position] = [doc.id, offset, length]
        if doc.id != old_id:
            del self._positions[old_id]
            self._positions[doc.id] = position

    def __delitem__(self, key):
        if isinstance(key, slice):
            positions = range(len(self._entries))[key]
            drop = set(positions)
            self._entries = [e for i, e in enumerate(self._entries) if i not in drop]
        else:
            del self._entries[self._position(key)]
        self._reindex()
        self._dirty = True

    def __contains__(self, item):
        if isinstance(item, Document):
            item = item.id
        return item in self._positions

    def insert(self, index, doc):
        """Appends, then moves the document to `index` (an id already here is replaced in place)."""
        doc = _as_document(doc)
        existed = doc.id in self._positions
        self.append(doc)
        if not existed:
            entry = self._entries.pop()
            self._entries.insert(index, entry)  # list.insert's rules for the index
            self._reindex()

    def append(self, doc):
        doc = _as_document(doc)
        offset, length = self._write(doc)
        self._put(doc.id, offset, length)

    def extend(self, docs):
        for doc in docs:
            self.append(doc)

    def clear(self):
        """Removes every document (and the files' contents)."""
        self._file.close()
        if os.path.exists(self._index_path):
            os.remove(self._index_path)
        self._file = open(self._data_path, 'w+b')
        self._file.close()
        self._file = open(self._data_path, 'a+b')
        self._entries, self._positions = [], {}
        self._end = 0
        self._dirty = True

    def prune(self):
        """Drops the dead lines from the data file now."""
        self._compact()
        self._dirty = True
        self.flush()

    def get_attributes(self, *fields):
        return DocumentArray(self).get_attributes(*fields)

    def get_attributes_with_docs(self, *fields):
        return DocumentArray(self).get_attributes_with_docs(*fields)

    def traverse_flat(self, traversal_paths):
        return DocumentArray(self).traverse_flat(traversal_paths)

    def __repr__(self):
        return f'<DocumentArrayMemmap (length={len(self)}) at {self.path}>'
