"""Every size and magnitude limit the library enforces, in one place.

Sets and unit data may come from strangers (see SECURITY.md): each limit bounds the time or memory one input
can cost. They are module constants so that a test can lower one; code reads them through this module
(``limits.MAX_NODES``) rather than importing the value, so the lowered value is the one used.
"""

from __future__ import annotations

# --- files and YAML ---------------------------------------------------------------------------------

#: Files (and texts) larger than this many bytes are refused before parsing.
MAX_BYTES = 5_000_000
#: A document may expand to at most this many nodes (aliases counted every time they are used): a large
#: set has a few thousand.
MAX_NODES = 100_000
#: Lists and mappings may nest at most this deep.
MAX_DEPTH = 64
#: A document's text (every scalar, aliases counted each time they are used) may expand to at most this
#: many characters: a small file must not stand for gigabytes of keys.
MAX_EXPANDED_CHARS = 10_000_000
#: Longest number literal accepted (digits and signs), against denial of service through huge numbers.
MAX_NUMBER_CHARS = 60

# --- numbers ----------------------------------------------------------------------------------------

#: Numbers read from sets and data must lie within 10**±MAX_MAGNITUDE (zero aside).
MAX_MAGNITUDE = 24
#: Significant digits kept by intermediate results (divisions such as 335/382 are the only inexact step).
PRECISION = 50
#: Largest decimal exponent a computed value may reach; beyond it a computation fails instead of running on.
MAX_EXPONENT = 10_000

# --- sets ---------------------------------------------------------------------------------------------

#: A group path (一级/二级/三级指标) may have at most this many levels.
MAX_GROUP_LEVELS = 8
#: At most this many problems are reported at once (with a count of the rest): enough to fix a file by,
#: and a bound on the work and output of a file made of nothing but errors.
MAX_PROBLEMS = 200

# --- formulas ---------------------------------------------------------------------------------------

#: Longest formula text accepted.
MAX_FORMULA_LENGTH = 1000
#: Most syntax-tree nodes a formula may have.
MAX_FORMULA_NODES = 250
#: Largest absolute exponent allowed in ``**``.
MAX_POWER = 100
