"""The weights file read by ``scoring tune --weights``: new weights by indicator id or group path."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..fields import Number, StrictModel


class WeightsSpec(StrictModel):
    weights: dict[str, Number] = Field(description="Indicator id or group path → its new weight.")
    rescale: Literal["proportional", "none"] | None = Field(
        None,
        description="proportional (default): the other weights are scaled to keep the total; none: the "
        "total changes.",
    )
