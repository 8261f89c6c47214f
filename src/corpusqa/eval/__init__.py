"""The evaluator: run a question set through answer(), score it, report it."""
