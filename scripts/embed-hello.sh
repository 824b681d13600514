#!/usr/bin/env bash
# Embeds the hello demo (configs/hello: flow.yml and corpus.jsonl) in the jina binary, so that
# `jina hello` runs from any directory: writes Sources/JinaCLI/Hello/EmbeddedHello.swift. Run it
# after changing either file. With --check it only tells (exit 1) whether the generated file is
# out of date; the tests run that.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/embed.sh
embed_files scripts/embed-hello.sh Sources/JinaCLI/Hello/EmbeddedHello.swift EmbeddedHello configs/hello ${1:+"$1"} -- flow.yml corpus.jsonl
