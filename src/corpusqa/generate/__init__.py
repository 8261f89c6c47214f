"""Generators: the swappable part that writes the answer text from numbered passages."""

from corpusqa.errors import GeneratorError
from corpusqa.generate.base import GenerationRequest, Generator, NumberedPassage
from corpusqa.generate.factory import make_generator
from corpusqa.registry import GENERATORS

__all__ = [
    "GENERATORS",
    "GenerationRequest",
    "Generator",
    "GeneratorError",
    "NumberedPassage",
    "make_generator",
]
