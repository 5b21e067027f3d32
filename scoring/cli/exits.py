"""The command's exit statuses (kept apart from the commands, so that they can be read before anything loads)."""

#: All is well: files valid, scored; for ``reproduce``, the published result reproduced and the table clean.
EXIT_OK = 0
#: An input file is invalid or cannot be scored (every problem is printed), or ``reproduce`` found differences.
EXIT_INVALID = 1
#: A usage error: bad arguments, an option value out of range.
EXIT_USAGE = 2
#: Interrupted (Ctrl-C): 128 + SIGINT, as shells report it.
EXIT_INTERRUPTED = 130
