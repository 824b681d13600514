"""The two JSON forms of an ndarray (`blob`, `embedding`): a nested number list, or Jina's
`{"dense": {"buffer": base64, "shape": [...], "dtype": "<f4"}}`.

Arrays are numpy arrays when numpy can be imported, nested lists otherwise. numpy is imported
on first use only: it costs a tenth of a second, and most executors that need it import it
themselves anyway.
"""
import base64
import math
import struct
import sys

_numpy = None


def numpy():
    """The numpy module, or None when it is not installed."""
    global _numpy
    if _numpy is None:
        try:
            import numpy as np
            _numpy = np
        except ImportError:
            _numpy = False
    return _numpy or None


def decode(value):
    """A JSON value (list or dense dict) -> (array, form). Forms: 'list', 'dense <dtype>', and
    'raw' (a form we do not read, e.g. Jina's sparse one: handed to the executor as it came)."""
    if isinstance(value, list):
        np = numpy()
        if not np:
            return value, 'list'
        try:
            return np.array(value), 'list'
        except ValueError:  # ragged lists
            return value, 'raw'
    if isinstance(value, dict):
        dense = value.get('dense', value if 'buffer' in value else None)
        if isinstance(dense, dict) and isinstance(dense.get('buffer'), str):
            raw = base64.b64decode(dense['buffer'])
            dtype = dense.get('dtype') or '<f4'
            shape = dense.get('shape') or None
            np = numpy()
            if np:
                array = np.frombuffer(raw, dtype=np.dtype(dtype)).copy()  # copy: writable
                return (array.reshape(shape) if shape else array), f'dense {dtype}'
            return _nest(_unpack(raw, dtype), shape), f'dense {dtype}'
    return value, 'raw'


def form_of(value):
    """The form a new array written over `value` keeps: the dense one (with its dtype) if
    `value` was dense, else a list."""
    if isinstance(value, dict):
        dense = value.get('dense', value if 'buffer' in value else None)
        if isinstance(dense, dict):
            return f"dense {dense.get('dtype') or '<f4'}"
    return 'list'


def encode(array, form):
    """An array -> its JSON value: the dense form when it came that way, else a nested list."""
    if form == 'raw':
        return array
    np = sys.modules.get('numpy')
    if np is not None and not isinstance(array, np.ndarray):
        if hasattr(array, 'toarray'):  # scipy.sparse: our JSON has no sparse form
            array = array.toarray()
        elif hasattr(array, '__array__'):  # torch, tensorflow, ...
            array = np.asarray(array)
    if np is None or not isinstance(array, np.ndarray):
        if not isinstance(array, (list, tuple)):
            return array
        if form.startswith('dense'):
            return _pack(array, form[6:] or '<f4')
        return _clean(list(array))
    if form.startswith('dense'):
        if array.dtype.byteorder == '>':
            array = array.astype(array.dtype.newbyteorder('<'))
        array = np.ascontiguousarray(array)
        return {'dense': {'buffer': base64.b64encode(array.tobytes()).decode('ascii'),
                          'shape': list(array.shape), 'dtype': array.dtype.str}}
    if array.dtype.kind == 'f' and array.dtype.itemsize < 8:
        # float32 -> the shortest text that reads back as the same float32 ("0.1", not
        # "0.10000000149011612"), which is what a person piping the output into jq wants to see.
        flat = [float(text) for text in map(str, array.ravel())]
        return _clean(_nest(flat, list(array.shape)))
    return _clean(array.tolist())


def _clean(values):
    """NaN and infinities are not JSON: they become null, as the Swift executors write them."""
    if isinstance(values, list):
        return [_clean(v) for v in values]
    if isinstance(values, float) and not math.isfinite(values):
        return None
    return values


_STRUCT_CODES = {'f2': 'e', 'f4': 'f', 'f8': 'd', 'i1': 'b', 'i2': 'h', 'i4': 'i', 'i8': 'q',
                 'u1': 'B', 'u2': 'H', 'u4': 'I', 'u8': 'Q', 'b1': '?'}


def _unpack(raw, dtype):
    """A dense buffer -> a flat list, without numpy."""
    order = '>' if dtype.startswith('>') else '<'
    code = _STRUCT_CODES.get(dtype.lstrip('<>|='))
    if code is None:
        raise ValueError(f'cannot read an array of dtype {dtype!r} without numpy')
    return list(struct.unpack(f'{order}{len(raw) // struct.calcsize(code)}{code}', raw))


def _pack(nested, dtype):
    """Nested lists -> the dense form, without numpy."""
    shape, level = [], nested
    while isinstance(level, (list, tuple)):
        shape.append(len(level))
        level = level[0] if level else None
    flat = _flatten(nested)
    order = '>' if dtype.startswith('>') else '<'
    code = _STRUCT_CODES.get(dtype.lstrip('<>|='), 'd')
    raw = struct.pack(f'{order}{len(flat)}{code}', *flat)
    return {'dense': {'buffer': base64.b64encode(raw).decode('ascii'), 'shape': shape, 'dtype': dtype}}


def _flatten(nested):
    if not isinstance(nested, (list, tuple)):
        return [nested]
    return [x for item in nested for x in _flatten(item)]


def _nest(flat, shape):
    """A flat list -> nested lists of `shape` (row-major)."""
    if not shape or len(shape) == 1:
        return flat
    step = len(flat) // shape[0] if shape[0] else 0
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]
