"""Ingest stage: corpus files become cleaned, chunked, embedded records in the store."""
