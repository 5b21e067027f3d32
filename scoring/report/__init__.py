"""Presentation: results and analyses as text tables, Markdown, CSV and JSON, for people and machines.

Nothing below this package prints or formats for display; every command's output is made here.
"""
