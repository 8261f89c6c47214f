"""Generators: the swappable part that writes the answer text from numbered passages."""

from corpusqa.generate.base import (
    GenerationRequest,
    Generator,
    GeneratorError,
    NumberedPassage,
)
from corpusqa.generate.factory import GENERATORS, make_generator

__all__ = [
    "GENERATORS",
    "GenerationRequest",
    "Generator",
    "GeneratorError",
    "NumberedPassage",
    "make_generator",
]
