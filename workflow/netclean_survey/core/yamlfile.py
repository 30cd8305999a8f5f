"""Reading a configuration file: YAML with ``yaml.safe_load`` semantics, refusing what no
configuration file needs.

A configuration file is a few kilobytes of plain keys and values, so :func:`read_yaml` refuses,
before anything reads the data, what only a mistake or an attack produces: a file of megabytes,
aliases that would expand into millions of values (a "billion laughs"), an alias inside its own
anchor, and a key given twice in one mapping (YAML silently keeps the last one). Every refusal is a
:class:`ConfigError` of one paragraph that names the file and says what to do.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import ConfigError

MAX_BYTES = 2 * 1024 * 1024  # the shipped files are under 20 KB
MAX_NODES = 200_000  # values of the document with every alias written out; the shipped files have under 1,000
MAX_ALIASES = 1_000  # uses of an alias (*name); the shipped files have at most 4
_MERGE_TAG = "tag:yaml.org,2002:merge"
_KINDS = {list: "a list", str: "a single text", int: "a number", float: "a number", bool: "true or false"}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader (libyaml's when installed: faster, and it limits nesting), whose impossible
    dates are a YAML error with a line rather than a bare ValueError."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} reads as a date, but {error}", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def read_yaml(path: str | Path) -> dict:
    """The mapping in a YAML file, read as ``yaml.safe_load`` reads it, or a ConfigError."""
    path = Path(path)
    text = _read_text(path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_graph(node, path, loader)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {_yaml_problem(error)}") from None
    except RecursionError:  # the pure-Python loader, without libyaml's limit on nesting
        raise ConfigError(
            f"{path}: not valid YAML: nested too deeply; a configuration file needs a few levels, not hundreds"
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        found = "nothing (the file is empty)" if data is None else _KINDS.get(type(data), f"a {type(data).__name__}")
        raise ConfigError(f"{path}: expected a mapping at the top level (key: value lines), found {found}")
    return data


def check_config_file(path: str | Path) -> dict:
    """The release configuration (config/config.yaml), refused if Snakemake would treat it as code.

    Snakemake renders a config file that has the top-level key ``__use_yte__`` as a YTE template,
    whose expressions are Python; the README promises that nothing in config is executed. Call this
    before the Snakefile's ``configfile:`` directive.
    """
    data = read_yaml(path)
    if "__use_yte__" in data:
        raise ConfigError(
            f"{path}: the key '__use_yte__' would make Snakemake run the file as a YTE template, whose "
            "expressions are Python code; nothing in config is executed: remove the key and write the values out"
        )
    return data


def _read_text(path: Path) -> str:
    """The file's text, at most MAX_BYTES of UTF-8 (a bigger file is not read to its end)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise ConfigError(
            f"{path}: cannot be read ({reason}); check the path and that it names a readable file"
        ) from None
    if len(data) > MAX_BYTES:
        raise ConfigError(
            f"{path}: larger than {MAX_BYTES:,} bytes, which no configuration file needs (the shipped ones are "
            "a few kilobytes); check that the path names the intended file"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: byte {error.start} is not valid UTF-8; save the file as UTF-8, which every configuration "
            "file is read as"
        ) from None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _check_graph(root: yaml.Node, path: Path, loader: _Loader) -> None:
    """Refuse alias bombs, self-referring aliases and repeated keys, on the composed graph.

    An alias is the same node object as its anchor, so the graph is as small as the text. The size
    of the document with every alias written out is counted on the graph, each node's size computed
    once and reused at each alias, so the count costs no more than the text however large it is.
    """
    sizes: dict[int, int] = {}  # id(node) -> number of nodes below and including it, aliases written out
    open_nodes: set[int] = set()  # entered, not yet sized: the ancestors of the node being looked at
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, sized_below = stack.pop()
        key = id(node)
        if sized_below:
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > MAX_NODES:
                raise ConfigError(
                    f"{path}: the aliases (*name) would expand the value at line {node.start_mark.line + 1} into more "
                    f"than {MAX_NODES:,} values, which no configuration file needs (a \"billion laughs\"); write the "
                    "values out, or use fewer aliases"
                )
            sizes[key] = size
            open_nodes.discard(key)
            continue
        if key in open_nodes:
            raise ConfigError(
                f"{path}: the alias at line {node.start_mark.line + 1} refers to a value that contains it, which "
                "makes an endless value; point the alias at another anchor, or write the values out"
            )
        if key in sizes:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise ConfigError(
                    f"{path}: more than {MAX_ALIASES:,} uses of aliases (*name), which no configuration file "
                    "needs; write the values out"
                )
            continue
        if isinstance(node, yaml.MappingNode):
            _check_repeated_keys(node, path, loader)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))


def _check_repeated_keys(node: yaml.MappingNode, path: Path, loader: _Loader) -> None:
    """A key given twice in one mapping: YAML keeps the last silently, so one of them is a mistake.

    Keys compare as the loaded values (``yes`` and ``true`` are the same key); a merge (``<<``)
    may override what it merges, which is not a repeat.
    """
    first_line: dict[object, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
            continue
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        try:
            repeated = key in first_line
        except TypeError:  # an unhashable key: the loader refuses it with its own message
            continue
        if repeated:
            where = f"lines {first_line[key]} and {line}" if first_line[key] != line else f"both on line {line}"
            raise ConfigError(
                f"{path}: the key {key!r} is given twice in one mapping ({where}); YAML would keep only the "
                "last: remove one of them, or rename it"
            )
        first_line[key] = line


def _yaml_problem(error: yaml.YAMLError) -> str:
    """PyYAML's message on one line: what is wrong, where, and what to do."""
    if isinstance(error, yaml.MarkedYAMLError):
        words = "; ".join(part for part in (error.context, error.problem) if part)
        mark = error.problem_mark or error.context_mark
        if mark is not None:
            return " ".join(f"{words} at line {mark.line + 1}, column {mark.column + 1}; correct the file there".split())
        return " ".join(f"{words}; correct the file".split())
    text = str(error).replace('in "<unicode string>",', "at")  # a reader error: an unprintable character
    return " ".join(f"{text}; correct the file".split())
