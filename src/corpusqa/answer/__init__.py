"""Answer stage: retrieved passages become a typed Answer with verified quotes, or a refusal."""

from corpusqa.answer.service import Answerer, answer, get_answerer
from corpusqa.errors import InvalidQuestion

__all__ = ["Answerer", "InvalidQuestion", "answer", "get_answerer"]
