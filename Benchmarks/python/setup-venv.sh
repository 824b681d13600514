#!/usr/bin/env bash
# Makes a virtualenv with Python Jina 3.34.0 from PyPI for jina-bench's Python side.
#
#   Benchmarks/python/setup-venv.sh VENV_DIR
#
# Uses the system python3 (or $PYTHON). Idempotent: does nothing when VENV_DIR/bin/jina exists and
# VENV_DIR/bin/python imports jina 3.34.0 with a pydantic it works with. Quiet except for errors;
# exits nonzero on failure.
#
# pydantic is held below 2.11: from 2.11 on, pydantic.create_model rejects the class-style
# `__config__` jina 3.34's HTTP gateway passes it (TypeError: '_ConfigMetaclass' object is not
# iterable), and `jina flow` with `protocol: http` aborts with "['gateway'] can not be started".
set -euo pipefail

version=3.34.0
pydantic='pydantic<2.11'
if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 VENV_DIR" >&2
    exit 2
fi
venv=$1
python=${PYTHON:-python3}

installed() {
    [ -x "$venv/bin/jina" ] && [ -x "$venv/bin/python" ] &&
        "$venv/bin/python" -c "
import sys, jina, pydantic
sys.exit(not (jina.__version__ == '$version' and tuple(map(int, pydantic.VERSION.split('.')[:2])) < (2, 11)))
" > /dev/null 2>&1
}

if installed; then
    exit 0
fi

log=$(mktemp "${TMPDIR:-/tmp}/setup-venv.XXXXXX")
trap 'rm -f "$log"' EXIT
fail() {
    echo "$0: $1" >&2
    tail -n 40 "$log" >&2
    exit 1
}

command -v "$python" > /dev/null || fail "no $python on PATH"
"$python" -m venv "$venv" > "$log" 2>&1 || fail "$python -m venv $venv failed"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
# The pip that venv bundles (23.x with Python 3.11) gives up on jina's opentelemetry pins
# (ResolutionImpossible); a current pip resolves them.
"$venv/bin/python" -m pip install --quiet --upgrade pip > "$log" 2>&1 || fail "upgrading pip in $venv failed"
"$venv/bin/python" -m pip install --quiet "jina==$version" "$pydantic" > "$log" 2>&1 ||
    fail "pip install jina==$version '$pydantic' failed"
installed || fail "$venv/bin/python does not import jina $version (with $pydantic) after the install"
