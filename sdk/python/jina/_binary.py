"""Where the native `jina` binary is: JINA_BIN, else `jina` on PATH (not this package's own
console script, if any), else a clear error."""
import os
import shutil

from .excepts import RuntimeFailToStart


def jina_binary():
    explicit = os.environ.get('JINA_BIN')
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise RuntimeFailToStart(f'JINA_BIN={explicit} is not an executable file')
        return explicit
    found = shutil.which('jina')
    if found:
        return found
    raise RuntimeFailToStart('the jina binary was not found: build it (swift build -c release --static-swift-stdlib) '
                             'and put it on PATH, or set JINA_BIN=/path/to/jina')
