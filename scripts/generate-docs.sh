#!/usr/bin/env bash
# Regenerates what is derived from the command tree and the example configs:
#   man/*.1              man pages (swift-argument-parser's generate-manual plugin, with an
#                        ENVIRONMENT section of JINA_<OPTION> variables added)
#   man/command-tree.json the command tree they were made from (the staleness test compares it)
#   completions/         bash, zsh and fish completion scripts
#   docs/plots/          pictures of the example Flows in configs/
# Run it after changing a command, an option, a help text, the plot renderer or a config.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build
bin=.build/debug/jina

"$bin" --generate-completion-script bash > completions/jina.bash
"$bin" --generate-completion-script zsh > completions/_jina
"$bin" --generate-completion-script fish > completions/jina.fish

swift package generate-manual --multi-page --configuration debug \
    --authors "The jina (Swift) developers" >/dev/null
rm -f man/*.1
cp .build/plugins/GenerateManual/outputs/jina/*.1 man/
"$bin" --experimental-dump-help > man/command-tree.json
python3 scripts/lib/man-environment.py man/command-tree.json man/

rm -f docs/plots/*
for flow in $(grep -l '^jtype: Flow' configs/*.yml configs/*/*.yml); do
    name=$(basename "$flow" .yml)
    folder=$(basename "$(dirname "$flow")")
    if [ "$folder" = seeds ]; then name="seed-$name"; elif [ "$folder" != configs ]; then name="$folder-$name"; fi
    "$bin" flow plot --uses "$flow" -o "docs/plots/$name.svg" 2>/dev/null
    "$bin" flow plot --uses "$flow" -o "docs/plots/$name.mmd" 2>/dev/null
done
echo "regenerated man/, completions/ and docs/plots/"
