"""Library files → a committed index generation: full builds (on worker processes) and updates.

The only writer. `scan` reads the library's file stamps and documents, `records` turns a document
into index records, `batches` adds files batch by batch, `pairing` keeps translation pairs right
across updates, `parallel` spreads a build over processes, `staged` commits a first build in steps
(searchable from its first commit), `progress` names each phase, and `updating` decides between a
full build, continuing a stopped one and an incremental commit.
"""
