"""Which Python files a Flow loaded from YAML hands the binary for its executors' classes."""
import importlib
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from jina import Flow  # noqa: E402


class ScriptModules(unittest.TestCase):
    def test_files_of_imported_executor_classes_go_with_a_yaml_flow(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, 'imported_indexer.py')
            with open(path, 'w') as file:
                file.write('from jina import Executor\n\n\nclass ImportedIndexer(Executor):\n    pass\n')
            sys.path.insert(0, directory)
            try:
                importlib.import_module('imported_indexer')
            finally:
                sys.path.remove(directory)
            flow = Flow()
            self.assertEqual(flow._script_modules(), [])  # built in Python: its classes name their files
            flow._source = os.path.join(directory, 'flow.yml')
            args = flow._script_modules()
            files = args[1::2]
            self.assertEqual(set(args[0::2]), {'--py-modules'})
            self.assertIn(os.path.abspath(path), files)
            self.assertFalse([f for f in files if os.sep + 'jina' + os.sep in f and 'imported' not in f])
            self.assertEqual(len(files), len(set(files)))


if __name__ == '__main__':
    unittest.main()
