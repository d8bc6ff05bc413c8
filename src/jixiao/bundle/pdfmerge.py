"""Merging laid-out parts into the disclosure PDF (pypdf): one set of fonts, page numbers
stamped, contents links, named destinations, bookmarks and metadata of one document.

The parts come from :func:`jixiao.render.pdf.lay_out_part`: their fonts carry glyph
widths and text but no glyph data. Every page's ``/Font`` resource is pointed at the
fonts of :func:`jixiao.render.pdf.union_fonts` — embedded once, subset over the glyphs
of every part, with glyph ids kept (WeasyPrint subsets that way), so no page's text is
rewritten. WeasyPrint names a font by a hash of its description, the same in every
part: the content streams' ``/XXXXXX Tf`` find the merged font under the same name.

A page's number is the content of the page of the same rank in the stamp document (an
empty page with only its ``@page`` margin box), drawn after the page's own content.

Reading a part (pypdf parsing its object streams) is most of a merge's time. A process
that merges the same document again and again (the preview, after each edit) keeps the
parts it has read: :class:`Readers`.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from jixiao.bundle.parts import LaidOut, MergeError

LINK_SCHEME = "jixiao:"  # a front part's link to another part's anchor: jixiao:p-3 → #p-3
# The parts' PDF bytes Readers keeps read, at most. Parsed, they take about 11 times that
# (浦江镇's 46 parts and fonts, 0.77 MB, held 8.7 MB): about 90 MB for the largest, a
# department of some 450 projects.
KEPT_BYTES = 8 * 2**20


class Readers:
    """Parts' PDFs read once and kept, for merging them again: by the hash of their bytes,
    the least recently used dropped beyond ``limit`` bytes of PDF (0: none kept). A merge
    changes what it reads (each page's ``/Font`` is pointed at the merged fonts, again at
    every merge): :meth:`using` lets one merge at a time use them."""

    def __init__(self, limit: int = KEPT_BYTES) -> None:
        self.limit = limit
        self._kept: OrderedDict[bytes, tuple[PdfReader, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @contextmanager
    def using(self) -> Iterator[Readers]:
        with self._lock:
            yield self

    def read(self, pdf: bytes) -> PdfReader:
        key = hashlib.blake2b(pdf, digest_size=16).digest()
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
            return found[0]
        reader = PdfReader(io.BytesIO(pdf))
        if len(pdf) <= self.limit:
            self._kept[key] = (reader, len(pdf))
            self._size += len(pdf)
            while self._size > self.limit:
                self._size -= self._kept.popitem(last=False)[1][1]
        return reader


def merge(parts: Sequence[LaidOut], stamps: Sequence[bytes], fonts_pdf: Callable[[], bytes],
          readers: Readers | None = None) -> bytes:
    """The document: ``parts`` in order (the first gives the metadata), each page with the
    stamp of the same rank, fonts from the PDF ``fonts_pdf()`` gives — asked for once the
    pages are in (it may still be being made elsewhere). ``readers``: the parts read before,
    kept (none by default)."""
    with (readers or Readers(0)).using() as kept:
        return _merge(parts, stamps, fonts_pdf, kept)


def _merge(parts: Sequence[LaidOut], stamps: Sequence[bytes], fonts_pdf: Callable[[], bytes],
           readers: Readers) -> bytes:
    writer = PdfWriter()
    fonts = writer._add_object(DictionaryObject())  # the pages' /Font: filled in below
    names: list[tuple[str, ArrayObject]] = []
    marks: list[list[Any]] = []
    first_reader: PdfReader | None = None
    for part in parts:
        reader = readers.read(part.pdf)
        first_reader = first_reader or reader
        offset = len(writer.pages)
        _add_pages(writer, reader, fonts)
        names.extend(_destinations(writer, reader, offset))
        marks.extend([level, label, offset + n, x, y, state]
                     for level, label, n, x, y, state in part.meta["bookmarks"])
    _fill_fonts(_dict(fonts), readers.read(fonts_pdf()), {key for part in parts for key in part.meta["fonts"]}, writer)
    _stamp(writer, [readers.read(s) for s in stamps], fonts)
    _point_links(writer)
    root = writer._root_object
    if names:
        dests = ArrayObject()
        for name, dest in sorted(names, key=lambda item: item[0]):
            dests.extend([TextStringObject(name), dest])
        root[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): DictionaryObject(
            {NameObject("/Names"): dests})})
    if marks:
        _outline(writer, marks)
    assert first_reader is not None
    catalog = _dict(first_reader.trailer["/Root"])
    if "/Lang" in catalog:
        root[NameObject("/Lang")] = TextStringObject(catalog["/Lang"])
    if first_reader.metadata is not None:
        writer.add_metadata({k: v for k, v in first_reader.metadata.items()})
    writer.pdf_header = first_reader.pdf_header
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _dict(obj: Any) -> DictionaryObject:
    """``obj`` (or what it refers to), which must be a dictionary."""
    found = obj.get_object() if obj is not None else None
    if not isinstance(found, DictionaryObject):
        raise MergeError(f"a part's PDF is not as WeasyPrint writes it: {type(found).__name__}")
    return found


def _fill_fonts(fonts: DictionaryObject, fonts_pdf: PdfReader, keys: set[str], writer: PdfWriter) -> None:
    """``fonts``, the pages' ``/Font`` resource, given every font of ``keys`` from ``fonts_pdf``."""
    page = fonts_pdf.pages[0]
    found = _dict(_dict(page["/Resources"])["/Font"])
    missing = sorted(k for k in keys if f"/{k}" not in found)
    if missing:
        raise MergeError(f"fonts not found again: {', '.join(missing)}")
    for key in sorted(keys):
        fonts[NameObject(f"/{key}")] = found.raw_get(f"/{key}").clone(writer)


def _add_pages(writer: PdfWriter, reader: PdfReader, fonts: IndirectObject) -> None:
    seen: set[int] = set()
    for page in reader.pages:
        _point_fonts(_dict(page["/Resources"]), fonts, seen)
    for page in reader.pages:
        writer.add_page(page)


def _point_fonts(resources: DictionaryObject, fonts: IndirectObject, seen: set[int]) -> None:
    """Point ``resources`` at the merged fonts, and the resources of every pattern and form
    drawn with them (WeasyPrint gives a background image a pattern, with the part's fonts
    among its resources): no font of the part, without its glyph data, may stay in the file."""
    if id(resources) in seen:  # resources shared by a part's pages and patterns: once each
        return
    seen.add(id(resources))
    if "/Font" in resources:
        resources[NameObject("/Font")] = fonts
    for kind in ("/Pattern", "/XObject"):
        for ref in _dict(resources[kind]).values() if kind in resources else ():
            drawn = ref.get_object()
            if isinstance(drawn, DictionaryObject) and "/Resources" in drawn:
                _point_fonts(_dict(drawn["/Resources"]), fonts, seen)


def _destinations(writer: PdfWriter, reader: PdfReader, offset: int) -> list[tuple[str, ArrayObject]]:
    catalog = _dict(reader.trailer["/Root"])
    if "/Names" not in catalog or "/Dests" not in _dict(catalog["/Names"]):
        return []
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)
               if page.indirect_reference is not None}
    flat = _dict(_dict(catalog["/Names"])["/Dests"])["/Names"].get_object()
    if not isinstance(flat, ArrayObject):
        raise MergeError("a part's named destinations are not an array")
    out = []
    for name, found in zip(flat[::2], flat[1::2], strict=True):
        dest = found.get_object()
        page = writer.pages[offset + numbers[dest[0].idnum]]
        assert page.indirect_reference is not None
        out.append((str(name), ArrayObject([page.indirect_reference, *dest[1:]])))
    return out


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _stamp(writer: PdfWriter, stamps: Sequence[PdfReader], fonts: IndirectObject) -> None:
    """Draw each stamp page's content over the page of the same rank. The page's own content
    is wrapped in q/Q: WeasyPrint leaves its coordinate transform set."""
    save, restore = _stream(writer, b"q\n"), _stream(writer, b"\nQ\n")
    n = 0
    for chunk in stamps:
        for stamp in chunk.pages:
            if n == len(writer.pages):
                raise MergeError("more page numbers than pages")
            page = writer.pages[n]
            _share_resources(writer, _dict(stamp["/Resources"]), _dict(page["/Resources"]), fonts)
            content = stamp.raw_get("/Contents").clone(writer)
            page[NameObject("/Contents")] = ArrayObject([save, page.raw_get("/Contents"), restore, content])
            n += 1
    if n != len(writer.pages):
        raise MergeError(f"{n} page numbers for {len(writer.pages)} pages")


def _share_resources(writer: PdfWriter, used: DictionaryObject, resources: DictionaryObject,
                     fonts: IndirectObject) -> None:
    """Give the page what its number is drawn with. WeasyPrint names graphic states by their
    values (``/a1.0``: opaque), so one name is one thing in every part."""
    for kind, entries in used.items():
        entries = entries.get_object()
        if kind == "/ColorSpace":  # WeasyPrint's, the same in every document; the number uses none
            continue
        if kind == "/Font":
            if any(name not in _dict(fonts) for name in entries):
                raise MergeError("a page number uses a font the pages lack")
            continue
        if not entries:
            continue
        if kind != "/ExtGState":
            raise MergeError(f"a page number uses a resource the pages lack: {kind}")
        own = resources.setdefault(NameObject(kind), DictionaryObject()).get_object()
        for name, value in entries.items():
            if name not in own:
                own[NameObject(name)] = value.clone(writer)


def _point_links(writer: PdfWriter) -> None:
    """A front part's links to ``jixiao:ANCHOR`` become links to the anchor, as WeasyPrint
    writes an internal link (``/Dest`` by name)."""
    for page in writer.pages:
        for ref in page.get("/Annots", ()):
            annot = ref.get_object()
            action = annot.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if uri.startswith(LINK_SCHEME):
                del annot["/A"]
                annot[NameObject("/Dest")] = TextStringObject(uri[len(LINK_SCHEME):])


def _outline(writer: PdfWriter, marks: list[list[Any]]) -> None:
    """The bookmarks nested by level, as WeasyPrint nests them (make_bookmark_tree), written
    as it writes them (add_outlines)."""
    root: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(0, root)]
    for level, label, n, x, y, state in marks:
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        node = {"label": label, "page": n, "x": x, "y": y, "state": state, "children": []}
        stack[-1][1].append(node)
        stack.append((level, node["children"]))
    top = DictionaryObject()
    top_ref = writer._add_object(top)
    refs, count = _outline_items(writer, root, top_ref)
    top[NameObject("/Count")] = NumberObject(count)
    top[NameObject("/First")] = refs[0]
    top[NameObject("/Last")] = refs[-1]
    writer._root_object[NameObject("/Outlines")] = top_ref


def _outline_items(writer: PdfWriter, nodes: list[dict[str, Any]],
                   parent: IndirectObject) -> tuple[list[IndirectObject], int]:
    count = len(nodes)
    refs: list[IndirectObject] = []
    for node in nodes:
        page = writer.pages[node["page"]].indirect_reference
        item = DictionaryObject({
            NameObject("/Title"): TextStringObject(node["label"]),
            NameObject("/Dest"): ArrayObject([page, NameObject("/XYZ"), FloatObject(node["x"]),
                                              FloatObject(node["y"]), NumberObject(0)]),
            NameObject("/Parent"): parent,
        })
        ref = writer._add_object(item)
        children, children_count = _outline_items(writer, node["children"], ref)
        item[NameObject("/Count")] = NumberObject(-children_count if node["state"] == "closed" else children_count)
        if node["state"] != "closed":
            count += children_count
        if children:
            item[NameObject("/First")] = children[0]
            item[NameObject("/Last")] = children[-1]
        if refs:
            item[NameObject("/Prev")] = refs[-1]
            _dict(refs[-1])[NameObject("/Next")] = ref
        refs.append(ref)
    return refs, count
