from ..executor import requests

__all__ = ['requests']
