"""corpusqa bench: ingest, answer, recall, memory and start-up figures, one JSON line each."""
