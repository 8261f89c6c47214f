"""Answer stage: retrieved passages become a typed Answer with verified quotes, or a refusal."""

from corpusqa.answer.service import Answerer, InvalidQuestion, answer, get_answerer

__all__ = ["Answerer", "InvalidQuestion", "answer", "get_answerer"]
