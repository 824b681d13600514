"""Document and DocumentArray: JSON round-trips, arrays, chunks and matches, access helpers."""
import base64
import json
import io
import os
import struct
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from jina import Document, DocumentArray, DocumentArrayMemmap, NamedScore  # noqa: E402
from jina import ndarray  # noqa: E402
from jina.document import json_default  # noqa: E402
from jina.types.arrays.memmap import DocumentArrayMemmap as MemmapByPath  # noqa: E402

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

    def test_chunks_and_matches_added_are_copies(self):
        stored = Document(id='x', embedding=[1.0, 0.0])
        q1, q2 = Document(id='q1'), Document(id='q2')
        for q, score in ((q1, 0.9), (q2, 0.1)):
            m = Document(stored)  # a view of the stored document, as in Jina
            m.scores['cosine'] = score
            q.matches.append(m)
        self.assertEqual([q.matches[0].scores['cosine'].value for q in (q1, q2)], [0.9, 0.1])
        self.assertEqual((stored.adjacency, q1.matches[0].adjacency), (0, 1))
        chunk = Document(text='c')
        q1.chunks.append(chunk)
        chunk.text = 'changed after'
        self.assertEqual((q1.chunks[0].text, chunk.parent_id), ('c', ''))
        self.assertEqual(q1.to_dict()['matches'][0]['embedding'], [1.0, 0.0])

    def test_equality_is_by_fields_hashing_by_identity(self):
        a = Document(id='a', text='t', embedding=[1.0, 2.0], tags={'k': 1})
        b = wire([{'id': 'a', 'text': 't', 'mime_type': 'text/plain', 'embedding': dense([1.0, 2.0]), 'tags': {'k': 1.0}}])[0]
        self.assertEqual(a, b)
        self.assertNotEqual(a, Document(id='a', text='u'))
        self.assertEqual(len({a, b}), 2)
        self.assertEqual(DocumentArray([a]), DocumentArray([b]))
        self.assertNotEqual(DocumentArray([a]), DocumentArray([a, b]))
        a.chunks.append(Document(id='c'))
        self.assertNotEqual(a, b)

    def test_dict_is_jina2s_name_for_to_dict(self):
        d = Document(id='a', text='t', embedding=[1.0])
        self.assertEqual(d.dict(), d.to_dict())
        self.assertEqual(d.dict()['embedding'], [1.0])

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

    def test_traversable_sequence_of_ones_own(self):
        # An executor's own sequence (say of (doc, groundtruth) pairs) gets Jina 2's traversal by
        # subclassing TraversableSequence: built from a list, items with .chunks and .matches.
        from jina.types.arrays.traversable import TraversableSequence

        class Pairs(TraversableSequence):
            def __init__(self, items):
                self.items = items

            def __iter__(self):
                return iter(self.items)

        class Pair:
            def __init__(self, a, b):
                self.a, self.b = a, b

            @property
            def chunks(self):
                return Pairs([Pair(x, y) for x, y in zip(self.a.chunks, self.b.chunks)])

            matches = chunks

        pairs = Pairs([Pair(x, y) for x, y in zip(self.tree(), self.tree())])
        flat = pairs.traverse_flat(['c'])
        self.assertIsInstance(flat, Pairs)
        self.assertEqual([(p.a.id, p.b.id) for p in flat], [('a-c', 'a-c'), ('b-c', 'b-c')])
        per_path = list(self.tree().traverse_flat_per_path(['r', 'cm']))
        self.assertEqual([[d.id for d in docs] for docs in per_path], [['a', 'b'], ['a-cm', 'b-cm']])
        self.assertIsInstance(per_path[1], DocumentArray)

    def test_get_attributes_of_scores_by_jina2_protobuf_path(self):
        d = Document(scores={'relevance': 0.3})
        self.assertAlmostEqual(d.get_attributes('scores__values__relevance__value'), 0.3)
        self.assertAlmostEqual(d.get_attributes('scores__relevance__value'), 0.3)
        self.assertIsNone(d.get_attributes('scores__values__missing__value'))
        self.assertNotIn('missing', d.scores)  # reading does not make the score

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


def ids(docs):
    return [d.id for d in docs]


class BulkOperations(unittest.TestCase):
    def docs(self):
        return DocumentArray([Document(id=str(i), text=f't{i}', tags={'parity': i % 2, 'n': {'k': i // 3}})
                              for i in range(6)])

    def test_texts_and_contents(self):
        docs = self.docs()
        self.assertEqual(docs.texts, [f't{i}' for i in range(6)])
        docs.texts = list('abcdef')
        self.assertEqual(docs[5].text, 'f')
        self.assertEqual(docs.contents, list('abcdef'))
        docs.contents = [b'x'] * 6
        self.assertEqual(docs[0].buffer, b'x')
        with self.assertRaises(ValueError):
            docs.texts = ['too few']

    def test_sample_shuffle_split(self):
        docs = self.docs()
        self.assertEqual(ids(docs.shuffle(seed=3)), ids(docs.shuffle(seed=3)))
        self.assertEqual(sorted(ids(docs.shuffle())), ids(docs))
        self.assertIsInstance(docs.shuffle(), DocumentArray)
        self.assertEqual(ids(docs), ['0', '1', '2', '3', '4', '5'])  # not shuffled in place
        sample = docs.sample(3, seed=1)
        self.assertEqual((len(sample), len(set(ids(sample)))), (3, 3))
        self.assertEqual(ids(sample), ids(docs.sample(3, seed=1)))
        groups = docs.split('parity')
        self.assertEqual({k: ids(v) for k, v in groups.items()}, {0: ['0', '2', '4'], 1: ['1', '3', '5']})
        self.assertEqual({k: ids(v) for k, v in docs.split('n__k').items()}, {0: ['0', '1', '2'], 1: ['3', '4', '5']})
        self.assertEqual(docs.split('absent'), {})

    def test_slices_ids_in_and_del(self):
        docs = self.docs()
        self.assertIsInstance(docs[1:3], DocumentArray)
        self.assertEqual(ids(docs[::2]), ['0', '2', '4'])
        self.assertEqual(docs['4'].text, 't4')
        self.assertIn('4', docs)
        self.assertNotIn('nope', docs)
        del docs['4']
        self.assertNotIn('4', docs)
        docs.insert(0, Document(id='first'))
        self.assertEqual(ids(docs)[:2], ['first', '0'])

    def test_save_and_load(self):
        docs = self.docs()
        docs[0].chunks.append(Document(id='c'))
        with tempfile.TemporaryDirectory() as tmp:
            for file_format in ('json', 'binary'):
                path = os.path.join(tmp, 'docs.' + file_format)
                docs.save(path, file_format=file_format)
                loaded = DocumentArray.load(path, file_format=file_format)
                self.assertEqual(loaded.to_list(), docs.to_list())
            with open(os.path.join(tmp, 'docs.json'), encoding='utf-8') as fp:
                lines = fp.read().splitlines()
            self.assertEqual([json.loads(line)['id'] for line in lines], ids(docs))
            with self.assertRaises(ValueError):
                docs.save(os.path.join(tmp, 'x'), file_format='yaml')
        buffer = io.StringIO()
        docs.save_json(buffer)
        buffer.seek(0)
        self.assertEqual(DocumentArray.load_json(buffer).texts, docs.texts)
        raw = io.BytesIO()
        docs.save_binary(raw)
        raw.seek(0)
        self.assertEqual(ids(DocumentArray.load_binary(raw)), ids(docs))

    def test_embeddings_need_numpy(self):
        saved = ndarray._numpy
        ndarray._numpy = False
        try:
            with self.assertRaises(ImportError):
                DocumentArray([Document(embedding=[1, 2])]).embeddings
            with self.assertRaises(ImportError):
                DocumentArray([Document(embedding=[1, 2])]).match(DocumentArray([Document(embedding=[1, 2])]))
        finally:
            ndarray._numpy = saved


@unittest.skipIf(np is None, 'numpy is not installed')
class Matching(unittest.TestCase):
    def points(self, prefix='', values=range(5)):
        return DocumentArray([Document(id=f'{prefix}{v}', embedding=np.array([float(v), 1.0])) for v in values])

    def test_embeddings_and_blobs(self):
        docs = self.points()
        self.assertEqual(docs.embeddings.shape, (5, 2))
        self.assertEqual(docs.embeddings[3].tolist(), [3.0, 1.0])
        docs.embeddings = np.zeros((5, 3))
        self.assertEqual(docs[0].embedding.tolist(), [0, 0, 0])
        docs.blobs = np.ones((5, 2, 2))
        self.assertEqual(docs.blobs.shape, (5, 2, 2))
        docs.append(Document())
        with self.assertRaises(ValueError):
            docs.embeddings

    def test_euclidean_ascending_with_limit(self):
        queries = DocumentArray([Document(id='q', embedding=np.array([2.2, 1.0]))])
        queries.match(self.points(), metric='euclidean', limit=3)
        matches = queries[0].matches
        self.assertEqual(ids(matches), ['2', '3', '1'])
        self.assertEqual([round(m.scores['euclidean'].value, 5) for m in matches], [0.2, 0.8, 1.2])
        self.assertEqual((matches[0].adjacency, matches[0].scores['euclidean'].ref_id), (1, 'q'))

    def test_sqeuclidean_metric_name_and_copies(self):
        index = self.points()
        queries = DocumentArray([Document(id='q', embedding=np.array([0.0, 1.0]))])
        queries.match(index, metric='sqeuclidean', metric_name='l2', limit=None)
        self.assertEqual([m.scores['l2'].value for m in queries[0].matches], [0, 1, 4, 9, 16])
        queries[0].matches[0].text = 'changed'
        self.assertEqual(index[0].text, '')  # matches are copies
        self.assertEqual(index[0].adjacency, 0)

    def test_cosine_and_rematch_replaces(self):
        index = DocumentArray([Document(id='same', embedding=np.array([2.0, 0.0])),
                               Document(id='orth', embedding=np.array([0.0, 1.0])),
                               Document(id='opp', embedding=np.array([-1.0, 0.0]))])
        queries = DocumentArray([Document(id='q', embedding=np.array([1.0, 0.0]))])
        queries.match(index)
        queries.match(index)
        self.assertEqual(ids(queries[0].matches), ['same', 'orth', 'opp'])
        self.assertEqual([round(m.scores['cosine'].value, 5) for m in queries[0].matches], [0, 1, 2])

    def test_exclude_self_and_matching_itself(self):
        docs = self.points()
        docs.match(docs, metric='euclidean', limit=3, exclude_self=True)
        self.assertEqual(ids(docs[0].matches), ['1', '2'])
        self.assertEqual(ids(docs[2].matches), ['1', '3'])
        docs.match(docs, metric='euclidean', limit=2)
        self.assertEqual(ids(docs[0].matches), ['0', '1'])
        self.assertEqual(len(docs[0].matches[0].matches), 0)  # no matches inside matches

    def test_normalization(self):
        queries = DocumentArray([Document(id='q', embedding=np.array([0.0, 1.0]))])
        queries.match(self.points(), metric='euclidean', limit=2, normalization=(0, 1))
        self.assertEqual([round(m.scores['euclidean'].value, 5) for m in queries[0].matches], [0, 0.25])
        queries.match(self.points(), metric='euclidean', limit=2, normalization=(1, 0))
        self.assertEqual([round(m.scores['euclidean'].value, 5) for m in queries[0].matches], [1, 0.75])

    def test_similarity_function(self):
        queries = DocumentArray([Document(id='q', embedding=np.array([1.0, 0.0]))])
        queries.match(self.points(), metric=lambda x, y: np.dot(x, y.T), metric_name='dot', limit=2, is_distance=False)
        self.assertEqual(ids(queries[0].matches), ['4', '3'])
        self.assertEqual(queries[0].matches[0].scores['dot'].value, 4.0)

    def test_errors_and_empty(self):
        docs = self.points()
        with self.assertRaises(ValueError):
            docs.match(docs, metric='hamming')
        with self.assertRaises(TypeError):
            docs.match(docs, metric=3)
        DocumentArray().match(docs)
        docs.match(DocumentArray())
        self.assertEqual(len(docs[0].matches), 0)

    def test_scipy(self):
        try:
            import scipy.spatial.distance  # noqa: F401
        except ImportError:
            self.skipTest('scipy is not installed')
        queries = DocumentArray([Document(id='q', embedding=np.array([0.0, 1.0]))])
        queries.match(self.points(), metric='cityblock', use_scipy=True, limit=2)
        self.assertEqual([m.scores['cityblock'].value for m in queries[0].matches], [0, 1])


class Memmap(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, 'store', 'here')

    def tearDown(self):
        self.tmp.cleanup()

    def test_module_path_and_export(self):
        self.assertIs(MemmapByPath, DocumentArrayMemmap)

    def test_add_read_and_delete(self):
        dam = DocumentArrayMemmap(self.path)
        self.assertTrue(os.path.isdir(self.path))
        dam.extend(Document(id=str(i), text=f't{i}') for i in range(4))
        dam.append({'id': 'x', 'text': 'from a dict'})
        self.assertEqual(len(dam), 5)
        self.assertEqual((dam[0].text, dam[-1].text, dam['2'].text), ('t0', 'from a dict', 't2'))
        self.assertIsInstance(dam[1:3], DocumentArray)
        self.assertEqual(ids(dam[1:3]), ['1', '2'])
        self.assertEqual(ids(dam), ['0', '1', '2', '3', 'x'])
        self.assertIn('x', dam)
        del dam['1']
        del dam[0]
        self.assertEqual(ids(dam), ['2', '3', 'x'])
        self.assertNotIn('1', dam)
        with self.assertRaises(KeyError):
            dam['1']
        with self.assertRaises(IndexError):
            dam[3]
        dam.append(Document(id='2', text='replaced'))  # same id: replaced in place, as in Jina
        dam[1] = Document(id='3', text='set')
        self.assertEqual(dam.texts, ['replaced', 'set', 'from a dict'])
        dam.clear()
        self.assertEqual(len(dam), 0)
        dam.close()
        self.assertEqual(len(DocumentArrayMemmap(self.path)), 0)

    def test_survives_another_process(self):
        with DocumentArrayMemmap(self.path) as dam:
            dam.extend(Document(id=str(i), text=f't{i}', tags={'i': i}) for i in range(5))
            del dam['3']
            dam['0'] = Document(id='0', text='changed')
        script = ('import sys; sys.path.insert(0, sys.argv[1]); from jina import DocumentArrayMemmap as D; '
                  'd = D(sys.argv[2]); print(",".join(x.id + "=" + x.text for x in d)); '
                  'd.append({"id": "new", "text": "from the child"})')  # appended, never flushed
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
        result = subprocess.run([sys.executable, '-c', script, root, self.path], capture_output=True, text=True,
                                check=True)
        self.assertEqual(result.stdout.strip(), '0=changed,1=t1,2=t2,4=t4')
        dam = DocumentArrayMemmap(self.path)
        self.assertEqual(ids(dam), ['0', '1', '2', '4', 'new'])
        self.assertEqual(dam['4'].tags, {'i': 4})

    def test_flush_compacts(self):
        dam = DocumentArrayMemmap(self.path)
        dam.extend(Document(id=str(i), text='x' * 100) for i in range(10))
        for i in range(8):
            del dam[str(i)]
        dam.flush()
        with open(os.path.join(self.path, 'docs.jsonl'), encoding='utf-8') as fp:
            self.assertEqual(len(fp.read().splitlines()), 2)
        self.assertEqual(ids(DocumentArrayMemmap(self.path)), ['8', '9'])
        self.assertEqual(ids(dam), ['8', '9'])

    def test_bulk_operations(self):
        dam = DocumentArrayMemmap(self.path)
        dam.extend(Document(id=str(i), text=f't{i}', tags={'p': i % 2}) for i in range(4))
        dam.texts = ['a', 'b', 'c', 'd']
        self.assertEqual(DocumentArrayMemmap(self.path).texts, ['a', 'b', 'c', 'd'])
        self.assertEqual({k: ids(v) for k, v in dam.split('p').items()}, {0: ['0', '2'], 1: ['1', '3']})
        self.assertEqual(sorted(ids(dam.shuffle(seed=0))), ['0', '1', '2', '3'])
        if np is not None:
            dam.embeddings = np.eye(4)
            queries = DocumentArray([Document(id='q', embedding=np.array([0.0, 0.0, 1.0, 0.0]))])
            queries.match(dam, limit=1)
            self.assertEqual(ids(queries[0].matches), ['2'])
            dam.match(dam, limit=2, exclude_self=True)
            self.assertEqual(len(DocumentArrayMemmap(self.path)['0'].matches), 1)


if __name__ == '__main__':
    unittest.main()


class ContentHash(unittest.TestCase):
    def test_equal_content_equal_hash_whatever_the_id(self):
        a, b, c = Document(id='a', text='x'), Document(id='b', text='x'), Document(id='c', text='y')
        self.assertEqual(a.content_hash, b.content_hash)
        self.assertNotEqual(a.content_hash, c.content_hash)
        a.matches.append(Document(text='m'))
        self.assertEqual(a.content_hash, b.content_hash)  # matches are not content
        self.assertEqual(a.get_attributes('content_hash'), b.content_hash)

    def test_update_content_hash_stores_it_over_the_fields_asked_for(self):
        d, e = Document(text='x', tags={'k': 1}), Document(text='x', tags={'k': 2})
        self.assertNotEqual(d.content_hash, e.content_hash)  # tags are content by default
        d.update_content_hash(include_fields=('text',))
        e.update_content_hash(include_fields=('text',))
        self.assertEqual(d.to_dict()['content_hash'], d.content_hash)
        self.assertEqual(d.content_hash, e.content_hash)


class Conversions(unittest.TestCase):
    def test_text_through_a_data_uri_and_back(self):
        d = Document(text='hello wörld')
        d.convert_text_to_uri()
        self.assertTrue(d.uri.startswith('data:text/plain;charset=utf-8,'))
        e = Document(uri=d.uri)
        e.load_uri_to_text()
        self.assertEqual(e.text, 'hello wörld')

    def test_buffer_through_a_base64_uri_and_a_file(self):
        d = Document(content=b'\x00\x01\xff')
        d.convert_buffer_to_uri(base64=True)
        e = Document(uri=d.uri)
        e.convert_uri_to_buffer()
        self.assertEqual(e.buffer, b'\x00\x01\xff')
        path = os.path.join(tempfile.mkdtemp(), 'f.bin')
        with open(path, 'wb') as file:
            file.write(b'abc')
        f = Document(uri=path)
        f.load_uri_to_buffer()
        self.assertEqual(f.buffer, b'abc')

    def test_update_copies_fields_but_not_the_id(self):
        d = Document(id='keep', text='a')
        d.update(Document(id='other', text='b', tags={'k': 1}))
        self.assertEqual((d.id, d.text, d.tags['k']), ('keep', 'b', 1))
        d.update(Document(text='c', tags={'k': 2}), fields=['text'])
        self.assertEqual((d.text, d.tags['k']), ('c', 1))

    def test_document_vocabulary_counts_jina2_tokens(self):
        d = Document(text="It's a dog-eat-dog world.", tags={'t': 'Dog days'})
        self.assertEqual(d.get_vocabulary(), {"it's": 1, 'a': 1, 'dog': 2, 'eat': 1, 'world': 1})
        self.assertEqual(d.get_vocabulary(('text', 'tags__t'))['dog'], 3)
        self.assertEqual(Document().get_vocabulary(), {})

    def test_vocabulary_min_freq(self):
        da = DocumentArray([Document(text='b a'), Document(text='a c b')])
        self.assertEqual(da.get_vocabulary(min_freq=2), {'b': 2, 'a': 3})
        self.assertEqual(da.get_vocabulary(1, ('text',)), {'b': 2, 'a': 3, 'c': 4})

    def test_vocabulary_numbers_words_from_two(self):
        da = DocumentArray([Document(text='Hello world'), Document(text='hello again')])
        self.assertEqual(da.get_vocabulary(), {'hello': 2, 'world': 3, 'again': 4})

