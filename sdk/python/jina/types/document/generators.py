"""Jina 2's input generators (`from jina.types.document.generators import from_csv, ...`)."""
import csv
import glob
import itertools
import json
import os
import random

from ...document import Document

__all__ = ['from_csv', 'from_ndjson', 'from_files', 'from_ndarray', 'from_lines']


def _sampled(items, size=None, sampling_rate=None):
    """At most `size` items, each kept with probability `sampling_rate` (Jina's two knobs)."""
    if sampling_rate is not None:
        items = (item for item in items if random.random() < sampling_rate)
    return itertools.islice(items, size) if size is not None else items


def _resolved(fields, field_resolver):
    return {field_resolver.get(k, k): v for k, v in fields.items()} if field_resolver else dict(fields)


def from_csv(file, field_resolver=None, size=None, sampling_rate=None, dialect='excel'):
    """One Document per CSV row; `field_resolver` renames columns (`{'question': 'text'}`)."""
    rows = csv.DictReader(file, dialect=dialect)
    for row in _sampled(rows, size, sampling_rate):
        yield Document(_resolved(row, field_resolver))


def from_ndjson(fp, field_resolver=None, size=None, sampling_rate=None):
    """One Document per JSON line."""
    lines = (line for line in fp if line.strip())
    for line in _sampled(lines, size, sampling_rate):
        yield Document(_resolved(json.loads(line), field_resolver))


def from_lines(lines=None, filepath=None, read_mode='r', line_format='json', field_resolver=None, size=None,
               sampling_rate=None):
    """One Document per line of `lines` or of the file: JSON lines, CSV rows, or plain text."""
    if filepath:
        with open(filepath, read_mode) as file:
            yield from from_lines(file.readlines(), None, read_mode, line_format, field_resolver, size, sampling_rate)
        return
    if line_format == 'json':
        yield from from_ndjson(lines, field_resolver, size, sampling_rate)
    elif line_format == 'csv':
        yield from from_csv(lines, field_resolver, size, sampling_rate)
    else:
        for line in _sampled((l.rstrip('\n') for l in lines), size, sampling_rate):
            yield Document(text=line)


def from_files(patterns, recursive=True, size=None, sampling_rate=None, read_mode=None):
    """One Document per file matching the glob pattern(s): its `uri`, and its content when
    `read_mode` is 'r' (text) or 'rb' (bytes)."""
    if isinstance(patterns, str):
        patterns = [patterns]
    paths = (p for pattern in patterns for p in sorted(glob.glob(pattern, recursive=recursive)) if os.path.isfile(p))
    for path in _sampled(paths, size, sampling_rate):
        if read_mode is None:
            yield Document(uri=path)
        else:
            with open(path, read_mode) as file:
                yield Document(uri=path, content=file.read())


def from_ndarray(array, axis=0, size=None, shuffle=False):
    """One Document per slice of `array` along `axis`, as its `blob`."""
    import numpy as np
    indices = list(range(array.shape[axis]))
    if shuffle:
        random.shuffle(indices)
    for i in _sampled(iter(indices), size):
        yield Document(blob=np.take(array, i, axis=axis))
