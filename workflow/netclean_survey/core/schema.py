"""The JSON schemas of the input files (``workflow/schemas/{name}.schema.yaml``) and the first
problem one finds, said in one plain paragraph: the file, the key path, what is there and what is
expected (the ``description`` of the schema that failed).

Every input file is checked against its schema before it is used: config/config.yaml (from the
Snakefile), the wave files, the questionnaire, the claims and the lexicon. The loaders then check
in Python only what a schema cannot say: that one file's ids name another's, that an id is not
repeated, that an interval is not empty. Read when the Snakefile is parsed: no pandas here.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import jsonschema

from .errors import ConfigError
from .yamlfile import read_yaml

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"  # workflow/schemas/


def schema_path(name: str) -> Path:
    """The file of the schema ``name`` (``wave`` -> ``workflow/schemas/wave.schema.yaml``)."""
    return SCHEMAS / f"{name}.schema.yaml"


@lru_cache(maxsize=None)
def validator(name: str, part: str | None = None) -> jsonschema.Draft202012Validator:
    """The validator of schema ``name``, read once per process (the Snakefile reads the inputs often).

    ``part`` names one of the schema's ``$defs`` to check a piece of a file on its own (one claim
    of a claims file: ``validator("claims", "claim")``).
    """
    schema = read_yaml(schema_path(name))
    if part is not None:
        schema = {"$schema": schema.get("$schema"), "$defs": schema["$defs"], "$ref": f"#/$defs/{part}"}
    return jsonschema.Draft202012Validator(schema)


def check_against_schema(
    data: object,
    schema: str | jsonschema.protocols.Validator,
    source: str,
    *,
    error: type[ConfigError] = ConfigError,
    at: tuple = (),
) -> None:
    """Refuse the first problem the schema finds in ``data``, in the order of the file, in plain words.

    ``schema`` is a schema's name (see :func:`validator`) or a validator; ``source`` names the file
    at the start of the message; ``at`` is the key path of ``data`` within its file (``("claims", 3)``
    for one claim); ``error`` the class raised (a ConfigError, or a subclass such as ClaimError).
    """
    checker = validator(schema) if isinstance(schema, str) else schema
    errors = list(checker.iter_errors(data))
    if errors:
        first = min(errors, key=lambda found: _position(data, found.absolute_path))
        raise error(f"{source}: {_schema_problem(first, at)}")


def _position(data: object, key_path) -> list[int]:
    """Where a key path is in the data, as indexes in file order, so that errors sort as the file reads."""
    position = []
    for key in key_path:
        if isinstance(data, dict):
            position.append(list(data).index(key))
        elif isinstance(data, list):
            position.append(key)
        data = data[key]
    return position


_TYPE_WORDS = {
    "string": "a text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
    "object": "a mapping (key: value)", "array": "a list", "null": "empty",
}


def _schema_problem(error: jsonschema.ValidationError, at: tuple = ()) -> str:
    """A schema error in plain words: the key path (after ``at``), what is there, and what is expected."""
    where = _key_path((*at, *error.absolute_path))
    value, expected = error.instance, error.validator_value
    described = f" (expected: {error.schema['description']})" if "description" in error.schema else ""
    if "propertyNames" in error.relative_schema_path:
        return (
            f"{where or 'top level'}: the key {_shown(value)} is not a text: write it in quotes "
            "(YAML reads yes, no, on and off as true or false)"
        )
    if error.validator == "type":
        words = " or ".join(_TYPE_WORDS[t] for t in ([expected] if isinstance(expected, str) else expected))
        hint = ""
        if expected == "string" and isinstance(value, (bool, int, float, date)):
            hint = ": write it in quotes"
        elif expected == "boolean" and isinstance(value, str):
            hint = ": write it without quotes"
        return f"{where or 'top level'}: {_shown(value)} is not {words}{hint}{described}"
    if error.validator == "required":
        missing = next(key for key in expected if key not in value)
        return f"{where + ': ' if where else ''}the key {missing!r} is missing{described}"
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        unknown = sorted((key for key in value if key not in known), key=str)
        return f"{where or 'top level'}: unknown keys {unknown}; {where or 'the top level'} has {sorted(known)}"
    if error.validator == "dependentRequired":
        having = next(key for key, needs in expected.items() if key in value and any(n not in value for n in needs))
        needed = next(n for n in expected[having] if n not in value)
        return f"{where}: {having!r} needs {needed!r} too{described}"
    if error.validator in ("oneOf", "anyOf") and "description" in error.schema:
        # alternatives of keys ({required: [a]}, {required: [b]}): say which of them the mapping gives
        keys = [key for choice in expected if isinstance(choice, dict) for key in choice.get("required", [])]
        given = ""
        if keys and isinstance(value, dict):
            present = [key for key in keys if key in value]
            given = f"; it gives {', '.join(map(repr, present))}" if present else "; it gives none of them"
        return f"{where or 'top level'}: {error.schema['description']}{given}"
    if error.validator == "enum":
        return f"{where}: {_shown(value)} is not one of {', '.join(map(repr, expected))}{described}"
    if error.validator in ("minLength", "maxLength"):
        low, high = error.schema.get("minLength"), error.schema.get("maxLength")
        if low == high:
            size = f"exactly {low} character" + ("s" if low != 1 else "")
        elif error.validator == "minLength":
            size = f"at least {low} character" + ("s" if low != 1 else "")
        else:
            size = f"at most {high} characters"
        got = "empty" if value == "" else f"{len(value)} characters long"
        return f"{where}: {_shown(value)} is {got}; it must be {size}{described}"
    if error.validator == "exclusiveMinimum":
        return f"{where}: {_shown(value)} must be greater than {expected}{described}"
    if error.validator == "minimum":
        return f"{where}: {_shown(value)} must be at least {expected}{described}"
    if error.validator == "maximum":
        return f"{where}: {_shown(value)} must be at most {expected}{described}"
    if error.validator == "exclusiveMaximum":
        return f"{where}: {_shown(value)} must be less than {expected}{described}"
    if error.validator == "minItems":
        needs = f"at least {expected} item{'s' if expected != 1 else ''}"
        if not value:
            return f"{where}: the list is empty; it needs {needs}{described}"
        return f"{where}: the list has {len(value)} item{'s' if len(value) != 1 else ''}; it needs {needs}{described}"
    if error.validator == "uniqueItems":
        return f"{where}: {_shown(value)} lists an item twice{described}"
    if error.validator == "minProperties":
        return f"{where}: the mapping is empty{described}"
    if error.validator == "maxProperties":
        return f"{where}: too many keys, {sorted(value, key=str)}{described}"
    if error.validator == "pattern":
        return f"{where}: {_shown(value)} is not of the expected form{described}"
    return f"{where or 'top level'}: {' '.join(error.message.split())}{described}"


def _key_path(key_path) -> str:
    """A key path as the messages write it: ``questions.country.options.sweden[0]``, ``claims[3].kind``."""
    text = ""
    for key in key_path:
        if isinstance(key, int) and not isinstance(key, bool):
            text += f"[{key}]"  # an item of a list
        else:
            text += f".{key}" if text else str(key)
    return text


def _shown(value: object, limit: int = 80) -> str:
    """A value as a message shows it: short, and an empty value said in words."""
    if value is None:
        return "an empty value"
    text = value.isoformat() if isinstance(value, date) else repr(value)
    if len(text) <= limit:
        return text
    return text[: limit - 4] + " ..."
