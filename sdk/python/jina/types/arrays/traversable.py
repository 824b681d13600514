from ...document import TraversableSequence

__all__ = ['TraversableSequence']
