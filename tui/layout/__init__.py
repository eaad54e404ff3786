"""Text layout for the reader, free of Textual: Markdown to styled lines, wrapping, row geometry.

Everything here is pure so it can be tested with strings and measured without a terminal; the
reader widget only asks it for the lines of the rows on screen.
"""
