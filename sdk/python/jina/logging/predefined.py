from .logger import JinaLogger

default_logger = JinaLogger('JINA')
