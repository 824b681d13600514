#!/usr/bin/env bash
# Embeds the Python executor SDK (sdk/python: the `jina` package and jina_executor_host.py) in
# the jina binary: writes Sources/JinaExecutor/Python/EmbeddedPythonSDK.swift, which the runtime
# unpacks into a cache directory when a Flow first runs a Python executor class.
# Run it after changing any file under sdk/python/jina or the host script. With --check it only
# tells (exit 1) whether the generated file is out of date; the tests run that.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/embed.sh

files=$(cd sdk/python && { echo jina_executor_host.py; find jina -name '*.py' | LC_ALL=C sort; })
# shellcheck disable=SC2086
embed_files scripts/embed-python-sdk.sh Sources/JinaExecutor/Python/EmbeddedPythonSDK.swift EmbeddedPythonSDK sdk/python \
    ${1:+"$1"} -- $files
