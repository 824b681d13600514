#!/bin/sh
# A complete jina executor in shell and jq, on the line codec (`framing: lines` in the Flow):
# one JSON object per line in, one per line out. Upper-cases each document's text.
echo '{"v":1,"kind":"hello","name":"upper-sh","endpoints":["/default"]}'
# awk passes lines on as they come (-W interactive) and stops at a goodbye, so jq's input ends.
awk -W interactive '/"kind":"goodbye"/ { exit } { print }' |
jq -c --unbuffered '
  select(.kind == "call") | (.docs // []) as $docs
  | if ($docs | all(type == "object")) then
      {v: 1, kind: "result", id, count: ($docs | length),
       docs: ($docs | map(if .text then .text |= ascii_upcase else . end))}
    else
      {v: 1, kind: "error", id, status: {code: 1, description: "BadDocuments: documents must be objects"}}
    end'
