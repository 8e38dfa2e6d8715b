"""Load the rule files kept as data under ``patterns/``.

Every rule file is YAML (the jieba user dictionary is plain text). A malformed
file raises ``PatternError`` naming the file and line. Loaded files are cached:
they are read once per process.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import regex
import yaml

PATTERNS_ENV = "NLP_PIPELINE_PATTERNS"
# libyaml's loader where PyYAML was built with it: the same data, several times faster.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LOADER(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """YAML's safe loader, refusing a key written twice in one mapping: YAML itself keeps
    the last silently, so a rule list added under a key that already exists would vanish."""

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first at line {seen[key] + 1})",
                    key_node.start_mark,
                )
            if isinstance(key, str | int):
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


class PatternError(ValueError):
    """A file under ``patterns/`` is missing or malformed."""


def patterns_dir() -> Path:
    """``$NLP_PIPELINE_PATTERNS`` if set, else the repository's ``patterns/`` folder."""
    env = os.environ.get(PATTERNS_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "patterns"


@cache
def load(name: str) -> dict[str, Any]:
    """Parse ``patterns/<name>.yaml`` into a mapping."""
    path = patterns_dir() / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PatternError(f"{path}: cannot read pattern file: {exc.strerror or exc}") from None
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        start = getattr(exc, "context_mark", None)
        if context and start is not None and mark is not None and start.line != mark.line:
            problem += f" ({context} at line {start.line + 1})"
        raise PatternError(f"{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise PatternError(f"{path}: expected a mapping at the top level")
    return data


def require(data: dict[str, Any], key: str, kind: type, name: str) -> Any:
    """Fetch ``data[key]`` and check its type, or raise ``PatternError`` naming the file."""
    value = data.get(key)
    if not isinstance(value, kind):
        raise PatternError(f"{where(name, key)}: '{key}' must be a {kind.__name__}")
    return value


def compile_regex(pattern: str, name: str, key: str) -> regex.Pattern[str]:
    """Compile a regular expression from a pattern file, naming the file on error."""
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise PatternError(
            f"{where(name, pattern, key.split('.')[0])}: '{key}': bad regular expression: {exc}"
        ) from None


def where(name: str, *values: str) -> str:
    """``path:line`` of the first of ``values`` written in ``patterns/<name>.yaml`` as a
    key or a value; just ``path`` if none is (or the file no longer parses)."""
    path = patterns_dir() / f"{name}.yaml"
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return str(path)
    lines: dict[str, int] = {}
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            line = node.start_mark.line + 1
            lines[node.value] = min(line, lines.get(node.value, line))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
    for value in values:
        if value in lines:
            return f"{path}:{lines[value]}"
    return str(path)


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first (so 年初预算 beats 预算)."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


def compile_words(
    words: list[str], name: str, key: str, template: str = "{}"
) -> regex.Pattern[str]:
    """A pattern matching any of a rule file's ``words`` (longest first), placed in
    ``template`` (``"(?:{})$"``); an empty list matches nothing."""
    return compile_regex(template.format(alternation(words) or "(?!)"), name, key)


def optional_regex(
    section: dict[str, Any], key: str, name: str, label: str | None = None
) -> regex.Pattern[str]:
    """The regular expression ``section[key]`` of a rule file (``label`` names it in an
    error, ``key`` by default), or one that never matches where the key is absent."""
    return compile_regex(section.get(key, "(?!)"), name, label or key)


def userdict_path() -> Path:
    return patterns_dir() / "userdict.txt"
