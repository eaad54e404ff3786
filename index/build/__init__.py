"""Library files → a committed index generation: full builds (on worker processes) and updates.

The only writer. `scan` reads the library's file stamps and documents, `records` turns a document
into index records, `batches` adds files batch by batch, `parallel` spreads a full build over
processes, `updating` decides between a full build and an incremental commit.
"""
