# Cookbook: Document generators with .index().
import os
import tempfile

from jina import Flow
from jina.types.document.generators import from_csv

path = os.path.join(tempfile.mkdtemp(), 'my.csv')
with open(path, 'w') as fp:
    fp.write('question,answer\nwhat?,this\nwhy?,"because, well"\n')

f = Flow().add()
with f, open(path) as fp:
    results = f.index(from_csv(fp, field_resolver={'question': 'text'}), return_results=True)

docs = results[0].docs
assert [d.text for d in docs] == ['what?', 'why?'], results[0].json()
assert docs[1].tags['answer'] == 'because, well' or docs[1].to_dict().get('answer') == 'because, well', docs[1]
