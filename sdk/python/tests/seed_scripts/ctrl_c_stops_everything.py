# Ctrl-C in a script that runs a Flow: the script ends as interrupted (SIGINT), and its Flow and
# executor processes end with it at once.
import os
import signal
import subprocess
import sys
import time


def as_from_a_terminal():
    """Default SIGINT, unblocked (a harness may have ignored or blocked it), in a group of its own."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    os.setpgrp()


child = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), '_ctrl_c_child.py')],
                         stdout=subprocess.PIPE, preexec_fn=as_from_a_terminal)
assert child.stdout.readline().strip() == b'up'
started = time.time()
os.killpg(child.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole foreground group
assert child.wait(timeout=20) == -signal.SIGINT, child.returncode
assert time.time() - started < 10
deadline = time.time() + 5
while time.time() < deadline:
    try:
        os.killpg(child.pid, 0)
    except ProcessLookupError:
        break  # no process of the group is left
    time.sleep(0.05)
else:
    raise AssertionError('processes of the interrupted script are still running')
