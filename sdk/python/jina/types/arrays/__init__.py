from ...document import DocumentArray
from .memmap import DocumentArrayMemmap

__all__ = ['DocumentArray', 'DocumentArrayMemmap']
