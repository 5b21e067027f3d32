"""The pydantic vocabulary shared by every file format and every rule kind's own model.

A rule kind declares the shape of its mapping next to its scoring code (``scoring/rules/<kind>.py``); the
file formats (``scoring/formats/``) assemble those shapes into the set format. Both build on the base model
and field types here, so the two cannot drift apart.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

#: Numbers are Decimal, read exactly from the YAML text; quoted text is not a number.
Number = Annotated[Decimal, pydantic.Strict(), Field(allow_inf_nan=False), WithJsonSchema({"type": "number"})]
Direction = Literal["increasing", "decreasing", "none"]
NotApplicablePolicy = Literal["full", "rescale", "zero"]
Identifier = Annotated[str, Field(pattern=r"^[^\W\d_][\w]*$", max_length=64)]
SetId = Annotated[str, Field(pattern=r"^[^\W_][\w.-]*$", max_length=100)]


class StrictModel(BaseModel):
    """Base of every file-format model: unknown keys are errors; models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
