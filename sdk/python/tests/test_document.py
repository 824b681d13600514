"""Document and DocumentArray: JSON round-trips, arrays, chunks and matches, access helpers."""
import base64
import json
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from jina import Document, DocumentArray, NamedScore  # noqa: E402
from jina import ndarray  # noqa: E402
from jina.document import json_default  # noqa: E402

try:
    import numpy as np
except ImportError:
    np = None


def wire(docs):
    """Documents as the host gets them: a JSON body, wrapped without copying."""
    return DocumentArray._wrap(json.loads(json.dumps(docs)))


def out(array):
    """What the host sends back for `array`."""
    return json.loads(json.dumps(array._encode(), default=json_default))


def dense(values, dtype='<f4'):
    code = {'<f4': 'f', '<f8': 'd', '<i4': 'i'}[dtype]
    return {'dense': {'buffer': base64.b64encode(struct.pack(f'<{len(values)}{code}', *values)).decode(),
                      'shape': [len(values)], 'dtype': dtype}}


class RoundTrip(unittest.TestCase):
    def test_untouched_documents_come_back_key_for_key(self):
        docs = [{'zeta': 1, 'id': 'a', 'text': 'hi', 'weird': {'nested': [1, 2.5, None, True]}, 'tags': {'k': 'v'},
                 'embedding': [0.1, 0.2], 'blob': dense([1.0, 2.0]), 'chunks': [{'id': 'c', 'x': 1}],
                 'scores': {'s': {'value': 0.5, 'op_name': 'cos'}}, 'granularity': 0}]
        self.assertEqual(json.dumps(out(wire(docs))), json.dumps(docs))

    def test_reading_every_field_changes_nothing(self):
        docs = [{'id': 'a', 'text': 'hi', 'unknown': [1, {'x': 2}], 'embedding': [1, 2, 3], 'tensor': dense([1.5, 2.5]),
                 'buffer': base64.b64encode(b'bytes').decode(), 'chunks': [{'id': 'c'}], 'matches': [{'id': 'm', 'adjacency': 1}],
                 'scores': {'s': {'value': 0.5}}, 'evaluations': {}, 'tags': {'k': [1]}}]
        array = wire(docs)
        d = array[0]
        _ = (d.id, d.text, d.embedding, d.blob, d.buffer, d.chunks, d.matches, d.scores, d.evaluations, d.tags,
             d.weight, d.granularity, d.adjacency, d.parent_id, d.modality, d.location, d.offset, d.content, d.uri)
        self.assertEqual(out(array), docs)

    def test_a_document_without_id_is_not_given_one_in_transit(self):
        self.assertEqual(out(wire([{'text': 'x'}])), [{'text': 'x'}])

    def test_reading_empty_containers_adds_no_keys(self):
        array = wire([{'id': 'a'}])
        d = array[0]
        self.assertEqual((len(d.chunks), len(d.matches), len(d.tags), len(d.scores)), (0, 0, 0, 0))
        self.assertIsNone(d.embedding)
        self.assertEqual(out(array), [{'id': 'a'}])


class Fields(unittest.TestCase):
    def test_constructors(self):
        d = Document(text='hello')
        self.assertEqual((d.text, d.mime_type, len(d.id)), ('hello', 'text/plain', 32))
        e = Document({'id': 'x', 'text': 't', 'extra': 1})
        self.assertEqual(e.to_dict(), {'id': 'x', 'text': 't', 'extra': 1})
        self.assertEqual(Document('{"id": "j", "uri": "a.png"}').uri, 'a.png')
        self.assertEqual(Document(content=b'\x00\x01').buffer, b'\x00\x01')
        self.assertEqual(Document(content='just text').text, 'just text')
        self.assertEqual(Document({'content': 'from a dict'}).text, 'from a dict')
        self.assertEqual(Document(content='https://example.com/a.jpg').uri, 'https://example.com/a.jpg')
        self.assertEqual(Document(content='https://example.com/a.jpg').mime_type, 'image/jpeg')
        self.assertEqual(Document(text='a', colour='red').tags, {'colour': 'red'})
        self.assertEqual(Document(id=12).id, '12')
        copy = Document(e, copy=True)
        copy.text = 'changed'
        self.assertEqual(e.text, 't')
        view = Document(e)
        view.text = 'changed'
        self.assertEqual(e.text, 'changed')

    def test_defaults_of_absent_fields(self):
        d = Document._wrap({})
        self.assertEqual((d.text, d.uri, d.buffer, d.weight, d.granularity, d.adjacency, d.parent_id, d.content),
                         ('', '', b'', 0.0, 0, 0, '', None))

    def test_buffer_is_base64_in_json(self):
        d = Document(buffer=b'\xff\x00data')
        self.assertEqual(d.to_dict()['buffer'], base64.b64encode(b'\xff\x00data').decode())
        d.pop('buffer', 'uri')
        self.assertNotIn('buffer', d.to_dict())

    def test_none_removes_a_field(self):
        d = Document(text='a', uri='b.txt')
        d.text = None
        d.embedding = None
        self.assertEqual(set(d.to_dict()), {'id', 'uri', 'mime_type'})

    def test_tags_in_place(self):
        array = wire([{'id': 'a'}, {'id': 'b', 'tags': {'old': 1}}])
        array[0].tags['new'] = 1
        array[1].tags['more'] = 2
        self.assertEqual(out(array), [{'id': 'a', 'tags': {'new': 1}}, {'id': 'b', 'tags': {'old': 1, 'more': 2}}])

    def test_scores(self):
        d = Document()
        d.scores['cosine'].value = 0.9
        d.scores['euclid'] = 0.1
        d.evaluations['p'] = NamedScore(value=1, op_name='precision')
        self.assertAlmostEqual(d.scores['cosine'].value, 0.9)
        self.assertEqual(sorted(d.scores), ['cosine', 'euclid'])
        self.assertEqual(dict(d.scores.items())['euclid'].value, 0.1)
        self.assertEqual(d.to_dict()['evaluations'], {'p': {'value': 1.0, 'op_name': 'precision'}})
        self.assertEqual(wire([{'scores': {'a': {'value': 3}}}])[0].scores['a'].value, 3.0)

    def test_chunks_and_matches(self):
        d = Document(id='root', granularity=1, adjacency=2)
        d.chunks.append(Document(id='c1', text='one'))
        d.chunks = list(d.chunks) + [Document(id='c2')]
        d.matches.append(Document(id='m1', scores={'cos': 0.5}))
        self.assertEqual([(c.parent_id, c.granularity) for c in d.chunks], [('root', 2), ('root', 2)])
        m = d.matches[0]
        self.assertEqual((m.adjacency, m.granularity, m.scores['cos'].ref_id), (3, 1, 'root'))
        data = d.to_dict()
        self.assertEqual([c['id'] for c in data['chunks']], ['c1', 'c2'])
        self.assertEqual(data['matches'][0]['adjacency'], 3)

    def test_chunks_from_the_wire_are_not_rewritten(self):
        array = wire([{'id': 'a', 'chunks': [{'id': 'c', 'parent_id': 'elsewhere'}]}])
        self.assertEqual(array[0].chunks[0].parent_id, 'elsewhere')
        self.assertEqual(out(array), [{'id': 'a', 'chunks': [{'id': 'c', 'parent_id': 'elsewhere'}]}])

    def test_get_attributes(self):
        d = Document(id='a', text='t', tags={'k': {'deep': 5}})
        self.assertEqual(d.get_attributes('text'), 't')
        self.assertEqual(d.get_attributes('id', 'tags__k__deep'), ['a', 5])


@unittest.skipIf(np is None, 'numpy is not installed')
class Arrays(unittest.TestCase):
    def test_list_and_dense_forms_read_as_arrays(self):
        array = wire([{'embedding': [[1, 2], [3, 4]], 'blob': dense([1.5, 2.5], '<f8')}, {'tensor': dense([7, 8], '<i4')}])
        self.assertEqual(array[0].embedding.shape, (2, 2))
        self.assertEqual(array[0].blob.dtype, np.float64)
        self.assertEqual(array[1].blob.tolist(), [7, 8])
        self.assertIs(array[1].tensor, array[1].blob)

    def test_a_new_array_is_written_as_a_list_with_short_floats(self):
        d = Document(id='a')
        d.embedding = np.array([0.1, 0.25, 1.0], dtype=np.float32)
        d.blob = np.arange(6).reshape(2, 3)
        self.assertEqual(d.to_dict()['embedding'], [0.1, 0.25, 1.0])
        self.assertEqual(d.to_dict()['blob'], [[0, 1, 2], [3, 4, 5]])

    def test_a_dense_field_stays_dense_and_tensor_stays_tensor(self):
        array = wire([{'id': 'a', 'tensor': dense([1, 2]), 'embedding': dense([1, 2])}])
        array[0].blob = array[0].blob * 2
        array[0].embedding[0] = 10  # changed in place
        data = out(array)[0]
        self.assertEqual(list(data), ['id', 'tensor', 'embedding'])
        self.assertEqual(data['tensor'], dense([2, 4]))
        self.assertEqual(data['embedding'], dense([10, 2]))

    def test_non_finite_values_become_null(self):
        d = Document(embedding=np.array([1.0, np.nan, np.inf]))
        self.assertEqual(d.to_dict()['embedding'], [1.0, None, None])

    def test_lists_set_become_arrays(self):
        self.assertIsInstance(Document(embedding=[1, 2]).embedding, np.ndarray)

    def test_numpy_values_in_tags_are_written(self):
        array = DocumentArray([Document(id='a', tags={'x': np.float32(0.5), 'v': np.arange(2)})])
        self.assertEqual(out(array)[0]['tags'], {'x': 0.5, 'v': [0, 1]})


class WithoutNumpy(unittest.TestCase):
    def setUp(self):
        self.saved = ndarray._numpy
        ndarray._numpy = False  # as if numpy were not installed

    def tearDown(self):
        ndarray._numpy = self.saved

    def test_arrays_are_nested_lists(self):
        array = wire([{'embedding': [[1, 2], [3, 4]], 'blob': {'dense': {'buffer': base64.b64encode(
            struct.pack('<4f', 1, 2, 3, 4)).decode(), 'shape': [2, 2], 'dtype': '<f4'}}}])
        self.assertEqual(array[0].embedding, [[1, 2], [3, 4]])
        self.assertEqual(array[0].blob, [[1.0, 2.0], [3.0, 4.0]])
        array[0].embedding = [5, 6]
        self.assertEqual(out(array)[0]['embedding'], [5, 6])


class Arrays_of_documents(unittest.TestCase):
    def tree(self):
        docs = DocumentArray([Document(id='a'), Document(id='b')])
        for d in docs:
            d.chunks.append(Document(id=d.id + '-c'))
            d.chunks[0].matches.append(Document(id=d.id + '-cm'))
            d.matches.append(Document(id=d.id + '-m'))
        return docs

    def test_indexing(self):
        docs = self.tree()
        self.assertEqual(docs[1].id, 'b')
        self.assertEqual(docs['a'].id, 'a')
        self.assertIsInstance(docs[0:1], DocumentArray)
        self.assertEqual([d.id for d in docs[-1:]], ['b'])
        self.assertIn('a', docs)
        del docs['a']
        self.assertEqual(len(docs), 1)
        with self.assertRaises(KeyError):
            docs['nope']

    def test_traverse_flat(self):
        docs = self.tree()
        ids = lambda paths: [d.id for d in docs.traverse_flat(paths)]  # noqa: E731
        self.assertIs(docs.traverse_flat(['r']), docs)
        self.assertEqual(ids(['c']), ['a-c', 'b-c'])
        self.assertEqual(ids('m'), ['a-m', 'b-m'])
        self.assertEqual(ids(['cm']), ['a-cm', 'b-cm'])
        self.assertEqual(ids('r, c'), ['a', 'b', 'a-c', 'b-c'])
        docs.traverse_flat(['c'])[0].text = 'changed through the view'
        self.assertEqual(docs[0].chunks[0].text, 'changed through the view')
        with self.assertRaises(ValueError):
            docs.traverse_flat(['x'])

    def test_get_attributes(self):
        docs = DocumentArray([Document(id='a', text='x'), Document(id='b', text='y')])
        self.assertEqual(docs.get_attributes('text'), ['x', 'y'])
        self.assertEqual(docs.get_attributes('id', 'text'), [['a', 'b'], ['x', 'y']])
        if np is not None:
            docs[1].blob = np.zeros(2)
            blobs, with_blob = docs.get_attributes_with_docs('blob')
            self.assertEqual([d.id for d in with_blob], ['b'])
            self.assertEqual(len(blobs), 1)

    def test_append_extend_and_dicts(self):
        docs = DocumentArray()
        docs.append(Document(id='a'))
        docs.extend([{'id': 'b'}, '{"id": "c"}'])
        self.assertEqual([d.id for d in docs], ['a', 'b', 'c'])
        with self.assertRaises(TypeError):
            docs.append(3)

    def test_wire_errors(self):
        with self.assertRaises(TypeError):
            DocumentArray._wrap([1, 2, 3])
        with self.assertRaises(TypeError):
            DocumentArray._wrap({'docs': []})


if __name__ == '__main__':
    unittest.main()
