"""What the Client makes of its inputs before anything is sent."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from jina import Document  # noqa: E402
from jina.clients import _documents  # noqa: E402
from jina.excepts import BadClientInput  # noqa: E402


class Inputs(unittest.TestCase):
    def test_documents_dicts_and_texts(self):
        docs = list(_documents([Document(id='a'), {'id': 'b'}, 'hello']))
        self.assertEqual([d.id for d in docs[:2]], ['a', 'b'])
        self.assertEqual(docs[2].text, 'hello')

    def test_groundtruth_pairs_are_refused_by_name(self):
        with self.assertRaisesRegex(BadClientInput, 'groundtruth'):
            list(_documents([(Document(), Document())]))
        with self.assertRaisesRegex(BadClientInput, 'cannot make a Document from int'):
            list(_documents([1]))


if __name__ == '__main__':
    unittest.main()
