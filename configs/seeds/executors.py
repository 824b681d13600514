"""The Executor classes of the Jina 2.0 Flow cookbook, as the seed examples define them."""
from jina import Executor, requests


class MyExecutor(Executor):
    """Cookbook: 'Minimum working example' and 'Add Executor via YAML file'."""

    def __init__(self, bar: int = 1, **kwargs):
        super().__init__(**kwargs)
        self.bar = bar

    @requests
    def foo(self, docs, **kwargs):
        print(f'foo was called with bar={self.bar}')


class A(Executor):
    """Cookbook 'Joining/Merging': writes 'world i' into each doc."""

    @requests
    def A(self, docs, **kwargs):
        for idx, d in enumerate(docs):
            d.text = f'world {idx}'


class B(Executor):
    """Cookbook 'Joining/Merging': writes 'hello i' into each doc."""

    @requests
    def foo(self, docs, **kwargs):
        for idx, d in enumerate(docs):
            d.text = f'hello {idx}'


class C(Executor):
    """Cookbook 'Joining/Merging': receives the 6 docs of A and B and returns them."""

    @requests
    def foo(self, docs, **kwargs):
        return docs
