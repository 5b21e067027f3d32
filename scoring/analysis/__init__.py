"""Analyses over many units scored under one set, one module each:

- :mod:`~scoring.analysis.cohort` — the units of one set loaded together (:func:`load_cohort`), ranks;
- :mod:`~scoring.analysis.reweight` — new weights by indicator or group, apportioned exactly;
- :mod:`~scoring.analysis.tune` — what a weight change does to every unit (:func:`tune`);
- :mod:`~scoring.analysis.effective_weights` — each weight on paper and in fact;
- :mod:`~scoring.analysis.margins` — the change of each figure that would move a unit's grade;
- :mod:`~scoring.analysis.sensitivity` and :mod:`~scoring.analysis.montecarlo` — how much the results hang
  on the weights, on the exact matrix path (:mod:`~scoring.analysis._matrix`, which needs numpy: the
  ``fast`` extra).

Each returns a result that knows its JSON form; the text and CSV outputs are in :mod:`scoring.report`.
"""

from __future__ import annotations

from ..lazy import submodules_on_demand

__getattr__ = submodules_on_demand(__name__, __path__)
