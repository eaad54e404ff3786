"""Reading a library folder: files → documents of aligned English/Chinese rows.

Knows files, encodings, frontmatter, Markdown blocks, languages and alignment; imports neither the
index nor the UI, so every rule here can be tested with plain strings.
"""
