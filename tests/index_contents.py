"""Whole-index contents for tests that compare two ways of writing the same documents."""

from __future__ import annotations

from whoosh import index as whoosh_index
from whoosh.filedb.compound import CompoundStorage


def segment_files(ix: whoosh_index.Index) -> list[dict[str, bytes]]:
    """Each segment's files by name without the random segment id."""
    out = []
    for segment in ix._segments():
        files = CompoundStorage(ix.storage.open_file(segment.make_filename(".seg")),
                                use_mmap=False)
        contents = {}
        for name in files.list():
            with files.open_file(name) as fh:
                contents[name.replace(segment.segment_id(), "")] = fh.read()
        files.close()
        out.append(contents)
    return out


def postings_by_id(ix: whoosh_index.Index) -> dict[tuple[str, bytes], list[tuple[str, list[int]]]]:
    """Every term's postings as (paragraph id, positions), across segments."""
    out: dict = {}
    with ix.reader() as reader:
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        for fieldname, btext in reader.all_terms():
            matcher = reader.postings(fieldname, btext)
            found = out.setdefault((fieldname, btext), [])
            fmt = reader.schema[fieldname].format
            while matcher.is_active():
                value = fmt.decode_positions(matcher.value()) if fmt.supports("positions") else []
                found.append((ids[matcher.id()], value))
                matcher.next()
    return {key: sorted(value) for key, value in out.items() if value}  # live postings only
