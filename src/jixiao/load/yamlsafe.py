"""A YAML reader that keeps the author's text and where it was written.

PyYAML's own loaders are wrong for money and for clerks:

* they turn ``89.41`` into a float and ``yes``/``no``/``on`` into booleans,
  ``0123`` into an octal 83 and ``2026-01-01`` into a date, before our schema
  can say what the value should be;
* a duplicate key silently keeps the last value — lost data;
* arbitrary tags and unbounded alias expansion are attack surface.

So we let libyaml *compose* the document into nodes with no implicit type
resolution at all (every plain scalar stays text), and convert the nodes into
our own small tree: :class:`YScalar`, :class:`YMap`, :class:`YSeq`. Each keeps
its :class:`~jixiao.errors.Location`. The schema layer decides later what a
scalar means (text, money, date ...), from its exact source text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from jixiao.errors import Diagnostic, Location, SpecLoadError
from jixiao.rules import rule

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 64

_STR_TAG = "tag:yaml.org,2002:str"
_NON_SPECIFIC = {"!", _STR_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})  # a plain scalar written so is empty
# What YAML does not allow in a file (its "printable" set, negated). libyaml refuses such a
# character written raw; a double-quoted escape (`"\\0"`, `"\\e"`, `"\\x1f"`, `"\\uFFFE"`)
# still produces it, and Word, XML and terminals choke on it later.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextOnlyLoader(_BaseLoader):  # type: ignore[misc]
    """libyaml's parser with every implicit resolver removed: plain scalars stay str."""


_TextOnlyLoader.yaml_implicit_resolvers = {}


# The tree types are named tuples: a spec of a few hundred lines has thousands of nodes,
# and tuples are the cheapest immutable objects Python creates.


class YScalar(NamedTuple):
    text: str
    plain: bool  # written without quotes or block style
    loc: Location

    @property
    def is_null(self) -> bool:
        """Empty value, ``~`` or ``null`` written plainly."""
        return self.plain and self.text.strip() in NULL_WORDS


class YMap(NamedTuple):
    entries: tuple[tuple[YScalar, YNode], ...]
    loc: Location

    def get(self, key: str) -> YNode | None:
        for k, v in self.entries:
            if k.text == key:
                return v
        return None

    def by_key(self) -> dict[str, YNode]:
        return {k.text: v for k, v in self.entries}

    def keys(self) -> list[str]:
        return [k.text for k, _ in self.entries]


class YSeq(NamedTuple):
    items: tuple[YNode, ...]
    loc: Location


YNode = YScalar | YMap | YSeq


def describe(node: YNode) -> str:
    """A Chinese noun for what the author wrote, for "应为…，实际是…" messages."""
    if isinstance(node, YMap):
        return "映射（键: 值）"
    if isinstance(node, YSeq):
        return "列表（- 项）"
    if node.is_null:
        return "空值"
    return f"文字 {node.text!r}"


def read_spec_text(path: Path, display: str) -> str:
    """Read a spec file as UTF-8, refusing oversized or undecodable files."""
    where = Location(display)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            # Point at the start of the file: editors jump there, and the whole file is the problem.
            raise SpecLoadError(rule("yaml-too-large").at(
                Location(display, 1, 1), f"文件有 {size} 字节，超过上限 {MAX_FILE_BYTES} 字节；一个项目一个文件即可"))
        data = path.read_bytes()
    except OSError as exc:
        raise SpecLoadError(rule("yaml-syntax").at(where, f"无法读取文件：{exc.strerror}")) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecLoadError(rule("yaml-syntax").at(
            _at_byte(display, data, exc.start),
            f"文件不是 UTF-8 编码（第 {exc.start} 字节处）；请另存为 UTF-8")) from exc


def _at_byte(display: str, data: bytes, offset: int) -> Location:
    """The line and column (in characters) of a byte offset into UTF-8 text."""
    before = data[:max(0, offset)].decode("utf-8", errors="replace")
    return Location(display, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)


def parse_yaml(text: str, display: str) -> tuple[YNode | None, list[Diagnostic]]:
    """Parse one YAML document into a located tree (``None`` for an empty file).

    Problems that leave the rest of the document readable (a duplicate key, a
    tag, a merge key) are returned as diagnostics and the offending entry is
    dropped, so the author sees every problem at once. A syntax error or an
    oversized document raises :class:`SpecLoadError`; a syntax error's diagnostic
    carries the source line with a caret under the column.
    """
    try:
        return _parse(text, display)
    except SpecLoadError as exc:
        d = exc.diagnostic
        if d.rule != "yaml-syntax" or d.location.line <= 0:
            raise
        raise SpecLoadError(replace(d, excerpt=excerpt(text, d.location.line, d.location.col))) from exc


def excerpt(text: str, line: int, col: int) -> str:
    """``  12 | 项目名称: [社工`` and below it a caret under column ``col`` (1-based, in
    characters): a CJK character takes two columns on a terminal, a tab stays a tab."""
    lines = text.splitlines()
    if line == len(lines) + 1 and lines:  # libyaml's end of the stream: after the last line
        line, col = len(lines), len(lines[-1]) + 1
    if not 1 <= line <= len(lines):
        return ""
    source = lines[line - 1]
    before = source[:max(col - 1, 0)]
    pad = "".join("\t" if c == "\t" else " " * _width(c) for c in before)
    number = str(line)
    return f"{number} | {source}\n{' ' * len(number)} | {pad}^"


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _parse(text: str, display: str) -> tuple[YNode | None, list[Diagnostic]]:
    builder = _TreeBuilder(display)
    loader = None
    try:
        loader = _TextOnlyLoader(text)
        tree = builder.document(loader.get_event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        slip = _colon_slip(text, mark, display)
        if slip is not None:
            raise SpecLoadError(slip) from exc
        loc = _loc(display, mark)
        raise SpecLoadError(rule("yaml-syntax").at(loc, _syntax_message(exc, _char_at(text, mark)))) from exc
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (a control character); libyaml gives its offset
        # in bytes of the UTF-8 text.
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise SpecLoadError(rule("yaml-syntax").at(
            _at_byte(display, text.encode("utf-8"), exc.position),
            f"文件里有不允许的控制字符 U+{char:04X}；请删除它（常见于从别处复制的文字）")) from exc
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always gives marks
        raise SpecLoadError(rule("yaml-syntax").at(Location(display), f"YAML 语法错误：{exc}")) from exc
    finally:
        if loader is not None:
            loader.dispose()
    return tree, builder.problems


_Scalar, _SeqStart, _MapStart = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
_Alias = yaml.AliasEvent
# Hot path: build the named tuples without their Python-level __new__ (same objects, less work).
_tuple = tuple.__new__
_ENDS = {yaml.MappingEndEvent, yaml.SequenceEndEvent}
_NON_SPECIFIC_EVENT_TAGS = {None, "!", _STR_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Events = Callable[[], Any]  # the parser's next event (libyaml's ``get_event``)


class _TreeBuilder:
    """Builds our tree straight from libyaml's event stream.

    Going through PyYAML's composer would create a Node per value and run the
    (Python) resolver on each, only for us to convert the nodes again: reading
    events directly does the same work once. Events are pulled from the parser
    itself (``yaml.parse`` would wrap each in a generator step). Aliases are
    resolved here too, counting the nodes an alias repeats, so an alias bomb is
    refused instead of being expanded.
    """

    def __init__(self, display: str) -> None:
        self.display = display
        self.count = 0
        self.problems: list[Diagnostic] = []
        self.anchors: dict[str, tuple[YNode, int]] = {}  # anchor → (node, size of its subtree)
        self.open_anchors: dict[str, Location] = {}  # anchors whose node is being built

    def document(self, get: Events) -> YNode | None:
        get()  # StreamStart
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        tree = self.node(get(), get, 0)  # after DocumentStart
        get()  # DocumentEnd
        event = get()
        if not isinstance(event, yaml.StreamEndEvent):
            raise SpecLoadError(rule("yaml-syntax").at(
                _loc(self.display, event.start_mark), "YAML 语法错误：一个文件只能有一个文档（不要用 ---）"))
        return tree

    def node(self, event: Any, get: Events, depth: int) -> YNode:
        # Most events are untagged, unanchored scalars (every key and most values): built
        # here in a few steps. ``count`` below the limit and ``depth`` within it, so the
        # general path below would neither refuse it nor do anything else with it.
        if type(event) is _Scalar and event.anchor is None and event.tag is None \
                and self.count < MAX_NODES and depth <= MAX_DEPTH:
            self.count += 1
            mark: Any = event.start_mark
            loc: Location = _tuple(Location, (self.display, mark.line + 1, mark.column + 1))
            value = event.value
            style = event.style
            if style == '"' and _NOT_PRINTABLE.search(value):  # only escapes can put one there
                value = self.without_controls(value, loc)
            scalar: YScalar = _tuple(YScalar, (value, not style, loc))
            return scalar
        return self.general(event, get, depth)

    def general(self, event: Any, get: Events, depth: int) -> YNode:
        start = self.count
        self.count += 1
        mark = event.start_mark
        loc: Location = _tuple(Location, (self.display, mark.line + 1, mark.column + 1))
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            raise SpecLoadError(rule("yaml-too-large").at(
                loc, "内容展开后过大或嵌套过深（可能是层层引用的别名）；请直接写出内容"))
        cls = type(event)
        if cls is _Alias:
            return self.alias(event, loc)
        if event.tag not in _NON_SPECIFIC_EVENT_TAGS:
            # Reported once; the value is then read as if untagged, so nothing else is
            # reported about it (a tag never changes what jixiao reads).
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(rule("yaml-tag").at(loc, f"不支持 YAML 标签 {tag}；请去掉标签直接写值"))
        if event.anchor is not None:
            self.open_anchors[event.anchor] = loc
        node: YNode
        if cls is _Scalar:
            value = event.value
            if event.style == '"' and _NOT_PRINTABLE.search(value):  # only escapes can put one there
                value = self.without_controls(value, loc)
            node = _tuple(YScalar, (value, not event.style, loc))
        elif cls is _SeqStart:
            items = []
            item = get()
            while type(item) not in _ENDS:
                items.append(self.node(item, get, depth + 1))
                item = get()
            node = _tuple(YSeq, (tuple(items), loc))
        else:
            node = self.mapping(get, loc, depth)
        if event.anchor is not None:
            # pop, not del: an anchor name reused inside its own node (`a: &x {b: &x 1}`)
            # was already closed by the inner definition, which YAML says wins from there on.
            self.open_anchors.pop(event.anchor, None)
            self.anchors[event.anchor] = (node, self.count - start)
        return node

    def without_controls(self, text: str, loc: Location) -> str:
        """Report the control characters an escape wrote, and read the text without them."""
        found = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in _NOT_PRINTABLE.findall(text)))
        self.problems.append(rule("control-character").at(
            loc, f"文字里有控制字符 {found}（由双引号里的转义写出）；请删除它"))
        return _NOT_PRINTABLE.sub("", text)

    def alias(self, event: Any, loc: Location) -> YNode:
        if event.anchor in self.open_anchors:  # a node containing itself: infinitely large
            raise SpecLoadError(rule("yaml-too-large").at(
                self.open_anchors[event.anchor], "内容展开后过大或嵌套过深（可能是层层引用的别名）；请直接写出内容"))
        if event.anchor not in self.anchors:
            raise SpecLoadError(rule("yaml-syntax").at(
                loc, f"YAML 语法错误：引用了未定义（或正在定义中）的别名 *{event.anchor}"))
        node, size = self.anchors[event.anchor]
        self.count += size  # what the alias repeats counts against the limit
        if self.count > MAX_NODES:
            raise SpecLoadError(rule("yaml-too-large").at(
                loc, "内容展开后过大或嵌套过深（可能是层层引用的别名）；请直接写出内容"))
        return node

    def mapping(self, get: Events, loc: Location, depth: int) -> YMap:
        entries: list[tuple[YScalar, YNode]] = []
        seen: dict[str, YScalar] = {}
        node = self.node
        depth += 1
        event = get()
        while type(event) not in _ENDS:
            key = node(event, get, depth)
            value = node(get(), get, depth)
            event = get()
            if type(key) is not YScalar:
                self.problems.append(rule("wrong-type").at(key.loc, "键必须是文字，不能是列表或映射"))
                continue
            text = key.text
            if key.plain and text == "<<":
                self.problems.append(rule("yaml-merge-key").at(
                    key.loc, "不支持 YAML 合并键 <<；部门共用的内容请写在 _defaults.yaml"))
                continue
            name = text.strip()
            if name in seen:
                first = seen[name].loc
                self.problems.append(rule("yaml-duplicate-key").at(
                    key.loc, f"键「{name}」重复，第 {first.line} 行已经写过；"
                    "普通 YAML 工具会悄悄丢掉前一个值，这里以第一次为准，请删掉多余的一处"))
                continue
            seen[name] = key
            if name != text:
                key = _tuple(YScalar, (name, key.plain, key.loc))
            entries.append((key, value))
        built: YMap = _tuple(YMap, (tuple(entries), loc))
        return built


def _loc(display: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(display)
    return Location(display, mark.line + 1, mark.column + 1)


_PROBLEMS = {
    "mapping values are not allowed": "这里不能出现「键: 值」（是否漏了缩进，或值里有未加引号的冒号？）",
    "could not find expected ':'": "找不到应有的冒号「:」",
    "did not find expected key": "缩进不一致，找不到应有的键",
    "did not find expected node content": "缺少内容",
    "did not find expected ',' or ']'": "方括号 [ ] 没有闭合",
    "did not find expected ',' or '}'": "花括号 { } 没有闭合",
    "found undefined alias": "引用了未定义的别名",
    "but found another document": "一个文件只能有一个文档（不要用 ---）",
    "expected a single document in the stream": "一个文件只能有一个文档（不要用 ---）",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合？）",
    "found duplicate anchor": "锚点重复",
    "did not find expected '-' indicator": "列表缩进不一致",
    "found a tab character that violates indentation": "不能用制表符（Tab）缩进，请用空格",
    "found unknown escape character": "双引号里有无法识别的转义字符（反斜杠 \\）",
    "found unexpected ':'": "出现了多余的冒号",
}


# `项目名称：社工` (the full-width colon a Chinese input method types) and `项目名称:社工`
# (no space) are not "key: value" in YAML; libyaml notices only a line or two later.
_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([^\s:：#'\"-][^:：]*?)：")
_NO_SPACE_COLON = re.compile(r"^(\s*(?:-\s+)?)([^\s:：#'\"-][^:：\s]*?):(?=[^\s/])")


def _colon_slip(text: str, mark: yaml.Mark | None, display: str) -> Diagnostic | None:
    """Point a syntax error caused by a colon slip at the line where the slip is."""
    if mark is None:
        return None
    lines = text.splitlines()
    first = max(0, mark.line - 2)
    for n in range(first, min(mark.line + 1, len(lines))):
        line = lines[n]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _FULL_WIDTH_COLON.match(line)
        if m and ": " not in line[: m.end()]:
            return rule("yaml-syntax").at(
                Location(display, n + 1, m.end()),
                f"YAML 语法错误：「{m.group(2)}」后用了全角冒号「：」；键和值之间要用半角冒号加空格「: 」")
        m = _NO_SPACE_COLON.match(line)
        if m:
            return rule("yaml-syntax").at(
                Location(display, n + 1, m.end()),
                f"YAML 语法错误：「{m.group(2)}」后的冒号「:」后面要有一个空格")
    return None


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _syntax_message(exc: yaml.MarkedYAMLError, char: str) -> str:
    problem = (exc.problem or exc.context or "").strip()
    if problem.startswith("found character") and "cannot start any token" in problem:
        if char == "\t":
            return "YAML 语法错误：不能用制表符（Tab）缩进，请用空格"
        return f"YAML 语法错误：值不能以「{char}」开头；请给这个值加上引号"
    for english, chinese in _PROBLEMS.items():
        if problem.startswith(english):
            return f"YAML 语法错误：{chinese}"
    # libyaml's wording for a case we have not translated: say so in Chinese, keep no English.
    return "YAML 语法错误：无法解析这一行；请检查缩进、冒号和引号"
