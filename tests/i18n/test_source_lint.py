"""No message is glued together from translated fragments, in Python, Jinja or JavaScript.

Welsh mutates a word after a preposition or a number, and orders a sentence its own way,
so "Recorded by " + name or _("Short by") ~ count ~ _("contacts") cannot be translated.
Each message is one whole sentence with named placeholders. The lint is precise on
purpose: it flags only code that certainly builds one message from several.
"""

from __future__ import annotations

import ast
import re

import jinja2
import pytest
from jinja2 import nodes

from tests.i18n.catalogues import ROOT

GETTEXT = frozenset({"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext",
                     "lazy_pgettext", "npgettext"})
# How many leading arguments of each are the message itself (pgettext's first is its context).
LITERAL_ARGUMENTS = {"ngettext": 2, "lazy_ngettext": 2, "pgettext": 2, "lazy_pgettext": 2, "npgettext": 3}


# ---- Python -----------------------------------------------------------------------------

def _is_gettext(node) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id in GETTEXT)
        or (isinstance(node.func, ast.Attribute) and node.func.attr in GETTEXT)
    )


def _name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else call.func.attr


def _contains_gettext(node) -> bool:
    return any(_is_gettext(child) for child in ast.walk(node))


def python_problems(source: str, filename: str = "<source>") -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if _is_gettext(node):
            count = LITERAL_ARGUMENTS.get(_name(node), 1)
            message_arguments = node.args[:count]
            if len(message_arguments) < count or not all(
                    isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                    for argument in message_arguments):
                problems.append(f"{where}: {_name(node)}() needs its message as a plain string literal "
                                "(not a variable, f-string or concatenation), or it cannot be extracted")
            for keyword in node.keywords:
                if _is_gettext(keyword.value):
                    problems.append(f"{where}: a translated fragment is put into a translated sentence "
                                    f"({keyword.arg}=...): write each whole sentence as its own message")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            if _is_gettext(node.left) or _is_gettext(node.right):
                problems.append(f"{where}: a translated message is glued to something with +")
        elif isinstance(node, ast.JoinedStr) and any(
                isinstance(part, ast.FormattedValue) and _contains_gettext(part.value) for part in node.values):
            problems.append(f"{where}: a translated message is glued into an f-string")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join"
              and node.args and isinstance(node.args[0], (ast.List, ast.Tuple))
              and sum(_is_gettext(item) for item in node.args[0].elts) >= 1
              and len(node.args[0].elts) > 1):
            problems.append(f"{where}: translated messages are joined into one")
    return problems


def python_files():
    return sorted((ROOT / "app").rglob("*.py"))


@pytest.mark.parametrize("path", python_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_python_messages_are_whole_sentences(path):
    assert python_problems(path.read_text(), str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("glued", [
    'x = _("Recorded by") + " " + name',
    'x = name + gettext("contacts")',
    'x = f"{gettext(\'Short by\')} {count}"',
    'x = " ".join([gettext("Short by"), str(count)])',
    'x = gettext("Recorded by %(name)s", name=gettext("nobody"))',
    'x = gettext(message)',
    'x = gettext(f"Hello {name}")',
    'x = ngettext("one contact", plural, count)',
    'x = pgettext("answer", label)',
])
def test_the_python_lint_flags_glued_messages(glued):
    assert python_problems(glued)


@pytest.mark.parametrize("whole", [
    'x = gettext("Recorded by %(name)s", name=user.name)',
    'x = ngettext("%(num)d contact", "%(num)d contacts", count)',
    'x = pgettext("answer", "Yes")',
    'x = gettext("Last contact: %(when)s", when=recent_time(moment))',
    'x = ", ".join(names)',
    'x = "a" + "b"',
])
def test_the_python_lint_leaves_whole_messages_alone(whole):
    assert python_problems(whole) == []


# ---- Jinja templates --------------------------------------------------------------------

def _jinja_gettext(node) -> bool:
    return isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in GETTEXT


def jinja_problems(source: str, filename: str = "<template>") -> list[str]:
    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    problems = []
    for node in environment.parse(source).find_all((nodes.Call, nodes.Concat, nodes.Add)):
        where = f"{filename}:{node.lineno}"
        if _jinja_gettext(node):
            count = LITERAL_ARGUMENTS.get(node.node.name, 1)
            if len(node.args) < count or not all(
                    isinstance(argument, nodes.Const) and isinstance(argument.value, str)
                    for argument in node.args[:count]):
                problems.append(f"{where}: {node.node.name}() needs its message as a plain string literal")
            for keyword in node.kwargs:
                if _jinja_gettext(keyword.value):
                    problems.append(f"{where}: a translated fragment is put into a translated sentence "
                                    f"({keyword.key}=...): write each whole sentence as its own message")
        elif isinstance(node, nodes.Concat) and any(_jinja_gettext(child) for child in node.nodes):
            problems.append(f"{where}: a translated message is glued to something with ~")
        elif isinstance(node, nodes.Add) and (_jinja_gettext(node.left) or _jinja_gettext(node.right)):
            problems.append(f"{where}: a translated message is glued to something with +")
    return problems


def template_files():
    return sorted((ROOT / "app" / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", template_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_template_messages_are_whole_sentences(path):
    assert jinja_problems(path.read_text(), str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("glued", [
    '{{ _("Short by") ~ " " ~ count ~ " " ~ _("contacts") }}',
    '{{ _("Recorded by") + name }}',
    '{{ _("Recorded by %(name)s", name=_("nobody")) }}',
    '{{ _(message) }}',
])
def test_the_template_lint_flags_glued_messages(glued):
    assert jinja_problems(glued)


@pytest.mark.parametrize("whole", [
    '{{ _("Recorded by %(name)s", name=contact.recorded_by.name) }}',
    '{{ ngettext("%(num)d contact", "%(num)d contacts", count) }}',
    '{{ pgettext("number of contacts", "Kept") }}',
    '{{ row.name ~ " " ~ row.code }}',
])
def test_the_template_lint_leaves_whole_messages_alone(whole):
    assert jinja_problems(whole) == []


# ---- JavaScript -------------------------------------------------------------------------

_JS_CALL = r"\b(?:_|gettext|ngettext|pgettext|npgettext|t)\((?:[^()]|\([^()]*\))*\)"
_JS_GLUED = [
    (re.compile(_JS_CALL + r"\s*\+(?!\+)"), "a translated message is glued to something with +"),
    (re.compile(r"(?<!\+)\+\s*" + _JS_CALL), "something is glued to a translated message with +"),
    (re.compile(r"`[^`]*\$\{\s*" + _JS_CALL + r"\s*\}[^`]*`"), "a translated message is glued into a template literal"),
]


def javascript_problems(source: str, filename: str = "<script>") -> list[str]:
    problems = []
    for number, line in enumerate(source.splitlines(), 1):
        if line.lstrip().startswith("//"):
            continue
        problems += [f"{filename}:{number}: {what}" for pattern, what in _JS_GLUED if pattern.search(line)]
    return problems


def javascript_files():
    return sorted(path for path in (ROOT / "static").rglob("*.js") if "vendor" not in path.parts)


def test_javascript_messages_are_whole_sentences():
    problems = [problem for path in javascript_files()
                for problem in javascript_problems(path.read_text(), str(path.relative_to(ROOT)))]
    assert problems == []


@pytest.mark.parametrize("glued", [
    'el.textContent = _("Short by") + " " + count;',
    'el.textContent = name + gettext("waiting to send");',
    'el.textContent = `${_("Recorded by")} ${name}`;',
])
def test_the_javascript_lint_flags_glued_messages(glued):
    assert javascript_problems(glued)


@pytest.mark.parametrize("whole", [
    'el.textContent = _("Recorded by {name}", {name});',
    'el.textContent = ngettext("{num} contact", "{num} contacts", count, {num: count});',
    'index = index + 1;',
])
def test_the_javascript_lint_leaves_whole_messages_alone(whole):
    assert javascript_problems(whole) == []
