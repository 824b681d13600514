#!/usr/bin/env python3
"""Builds configs/hello/corpus.jsonl: the first paragraph of the docstring of every public
module, function, class and method in Python's standard library (text under the PSF License,
see README.md), and the paragraphs of the language reference topics that `help()` shows
(`pydoc_data.topics`, under the same licence).

Run with the Python you have; the committed corpus was made with CPython 3.11.
"""
import importlib, inspect, json, pkgutil, sys, warnings

SKIP = {'antigravity', 'this', 'idlelib', 'tkinter', 'turtle', 'turtledemo', 'test', 'lib2to3', 'ensurepip', 'venv'}


def first_paragraph(doc):
    lines = []
    for line in inspect.cleandoc(doc).splitlines():
        if not line.strip():
            if lines:
                break
            continue
        lines.append(line.strip())
    return ' '.join(lines)


def main():
    warnings.simplefilter('ignore')
    seen, out = set(), []
    for module_info in sorted(pkgutil.iter_modules(), key=lambda m: m.name):
        name = module_info.name
        if name.startswith('_') or name in SKIP or name not in sys.stdlib_module_names:
            continue
        try:
            module = importlib.import_module(name)
        except Exception:
            continue
        def add(key, obj, kind):
            text = first_paragraph(inspect.getdoc(obj) or '')
            if len(text) < 40 or key in seen or text in seen:
                return
            seen.update((key, text))
            out.append({'id': key, 'text': text, 'tags': {'module': name, 'kind': kind}})

        add(name, module, 'module')
        for attr, obj in sorted(vars(module).items()):
            if attr.startswith('_') or not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.isbuiltin(obj)):
                continue
            if getattr(obj, '__module__', name) not in (name, None):
                continue
            add(f'{name}.{attr}', obj, 'class' if inspect.isclass(obj) else 'function')
            if inspect.isclass(obj):
                for method, member in sorted(vars(obj).items()):
                    if not method.startswith('_') and callable(member):
                        add(f'{name}.{attr}.{method}', member, 'method')
    from pydoc_data.topics import topics
    for topic, text in sorted(topics.items()):
        for n, paragraph in enumerate(p for p in text.split('\n\n') if p.strip()):
            flat = ' '.join(line.strip() for line in paragraph.splitlines())
            if len(flat) >= 80 and not flat.startswith(('*', '>>>', '...')) and flat not in seen:
                seen.add(flat)
                out.append({'id': f'reference.{topic}.{n}', 'text': flat, 'tags': {'module': 'reference', 'kind': 'paragraph'}})
    for doc in out:
        print(json.dumps(doc, ensure_ascii=False))
    print(f'{len(out)} documents', file=sys.stderr)


if __name__ == '__main__':
    main()
