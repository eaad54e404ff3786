"""Full-text search over a library's rows in English and Chinese (Whoosh + jieba).

Callers use the facade `index.library_index.LibraryIndex` and the plain values of `index.types`
(`DocInfo`, `Hit`, `SearchResults`, …). Inside, each sub-package has one job, and may only import
the ones listed after it (checked by `lint-imports`):

    build     library files → a committed generation (the only writer)
    query     query text → hits, facets and snippets (never writes)
    engine    Whoosh's file formats, and every private Whoosh name the other two need
    storage   generations, locks, catalog and file stamps on disk (no Whoosh)
    analysis  text → terms (no I/O)
"""
