"""Jina 2's JinaLogger (`from jina.logging.logger import JinaLogger`): a logging.Logger-like
object that writes `name@pid LEVEL message` lines to stderr, which the Flow shows prefixed with
the executor's name."""
import logging
import os
import sys

__all__ = ['JinaLogger']

# Jina's extra level names, on top of the standard ones.
SUCCESS = 25
logging.addLevelName(SUCCESS, 'SUCCESS')


class JinaLogger:
    def __init__(self, context, name=None, log_config=None, quiet=False, **kwargs):
        self.context = context
        self.name = name or context
        self.logger = logging.getLogger(f'jina.{context}')
        self.logger.propagate = False
        if not self.logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(f'{context}@{os.getpid()} %(levelname)s %(message)s'))
            self.logger.addHandler(handler)
        level = os.environ.get('JINA_LOG_LEVEL', 'INFO').upper()
        self.logger.setLevel(logging.CRITICAL + 1 if quiet else getattr(logging, level, logging.INFO))

    def debug(self, msg, *args, **kwargs):
        self.logger.debug(msg, *args, **kwargs)

    def info(self, msg, *args, **kwargs):
        self.logger.info(msg, *args, **kwargs)

    def success(self, msg, *args, **kwargs):
        self.logger.log(SUCCESS, msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        self.logger.warning(msg, *args, **kwargs)

    warn = warning

    def error(self, msg, *args, **kwargs):
        self.logger.error(msg, *args, **kwargs)

    def critical(self, msg, *args, **kwargs):
        self.logger.critical(msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        self.logger.exception(msg, *args, **kwargs)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
