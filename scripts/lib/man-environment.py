"""Adds an ENVIRONMENT section to each man page (scripts/generate-docs.sh): the JINA_<OPTION>
variable of every option and flag of the page's command, as Sources/JinaCLI/Support/
EnvironmentFlags.swift reads them. Usage: man-environment.py man/command-tree.json man/"""
import json
import os
import sys

NOT_FROM_ENVIRONMENT = {"help", "version", "host", "port", "experimental-dump-help"}


def pages(command, path):
    yield path, command
    for sub in command.get("subcommands", []):
        yield from pages(sub, path + [sub["commandName"]])


def variables(command):
    found = []
    for argument in command.get("arguments", []):
        if argument["kind"] not in ("option", "flag") or not argument.get("shouldDisplay", True):
            continue
        longs = [n["name"] for n in argument.get("names", []) if n["kind"] == "long"]
        if not longs or longs[0] in NOT_FROM_ENVIRONMENT:
            continue
        name = longs[0]
        found.append(("JINA_" + name.upper().replace("-", "_"), name, argument["kind"]))
    return found


tree = json.load(open(sys.argv[1]))["command"]
for path, command in pages(tree, ["jina"]):
    page = os.path.join(sys.argv[2], ".".join(path) + ".1")
    found = variables(command)
    if not os.path.exists(page) or not found:
        continue
    lines = [".Sh ENVIRONMENT",
             "An option the command line leaves out is read from its variable; the command line wins.",
             "A flag is set by 1, true, yes or on.",
             ".Bl -tag -width 6n"]
    for variable, name, kind in found:
        lines += [".It Ev " + variable, ("sets the flag " if kind == "flag" else "gives ") + "\\-\\-" + name]
    lines.append(".El")
    text = open(page).read()
    anchor = '.Sh "EXIT STATUS"' if '.Sh "EXIT STATUS"' in text else ".Sh AUTHORS"
    text = text.replace(anchor, "\n".join(lines) + "\n" + anchor, 1)
    open(page, "w").write(text)
