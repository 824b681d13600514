"""A Python Flow asked for gRPC or WebSocket serves it for other clients, and HTTP for this package's."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from jina import Flow  # noqa: E402


class FlowProtocols(unittest.TestCase):
    def test_http_alone_stays_as_it_was(self):
        self.assertNotIn('protocol', Flow().to_dict()['with'])
        self.assertEqual(Flow(protocol='HTTP').to_dict()['with']['protocol'], 'HTTP')  # the binary reads any case

    def test_grpc_keeps_its_port_and_http_gets_a_free_one(self):
        settings = Flow(protocol='GRPC', port_expose=12345).to_dict()['with']
        self.assertEqual(settings['protocol'], ['grpc', 'http'])
        self.assertEqual(settings['port'], [12345, 0])

    def test_a_list_with_http_is_left_alone(self):
        settings = Flow(protocol=['websocket', 'http'], port=[1, 2]).to_dict()['with']
        self.assertEqual(settings['protocol'], ['websocket', 'http'])
        self.assertEqual(settings['port'], [1, 2])

    @unittest.skipUnless(os.environ.get('JINA_BIN'), 'needs the jina binary (JINA_BIN)')
    def test_a_grpc_flow_answers_this_packages_client(self):
        from jina import Document
        f = Flow(protocol='grpc').add(uses='UpperCase')
        with f:
            self.assertGreater(f.port_expose, 0)
            answers = f.post('/index', inputs=Document(text='hi'), return_results=True)
        self.assertEqual(answers[0].docs[0].text, 'HI')


if __name__ == '__main__':
    unittest.main()
