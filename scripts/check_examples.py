"""Every `examples` entry of the OpenAPI document validates against the schema that carries it (JSON Schema 2020-12,
references resolved within the document). Prints one line per example; exits non-zero if any fails.

    .venv/bin/python scripts/check_examples.py Sources/API/Resources/openapi.json
"""
import json
import sys

from jsonschema import Draft202012Validator


def main(path):
    doc = json.load(open(path))
    bad = checked = 0

    def visit(node, where):
        nonlocal bad, checked
        if isinstance(node, dict):
            if "examples" in node and isinstance(node["examples"], list) and ("type" in node or "properties" in node):
                schema = {k: v for k, v in node.items() if k != "examples"}
                validator = Draft202012Validator(resolve(schema, doc), format_checker=Draft202012Validator.FORMAT_CHECKER)
                for i, example in enumerate(node["examples"]):
                    checked += 1
                    errors = sorted(validator.iter_errors(example), key=str)
                    if errors:
                        bad += 1
                        print(f"FAIL {where} example {i}: {errors[0].message}")
            for key, value in node.items():
                visit(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, f"{where}[{i}]")

    visit(doc, "#")
    print(f"examples: {checked} checked, {bad} failed")
    sys.exit(1 if bad or not checked else 0)


def resolve(node, doc, seen=()):
    """The schema with every local `$ref` replaced by its target (the document has no recursive schemas)."""
    if isinstance(node, dict):
        if "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/") and ref not in seen, ref
            target = doc
            for part in ref[2:].split("/"):
                target = target[part]
            merged = dict(resolve(target, doc, seen + (ref,)))
            merged.update({k: resolve(v, doc, seen) for k, v in node.items() if k != "$ref"})
            return merged
        return {k: (v if k == "examples" else resolve(v, doc, seen)) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, doc, seen) for v in node]
    return node


if __name__ == "__main__":
    main(sys.argv[1])
