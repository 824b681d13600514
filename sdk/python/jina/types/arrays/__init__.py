from ...document import DocumentArray

__all__ = ['DocumentArray']
