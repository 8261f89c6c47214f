"""make_generator(settings): the generator named by settings.generator."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from corpusqa.errors import SettingsError
from corpusqa.generate.base import ChatPrompts, Generator
from corpusqa.settings import GENERATOR_NAMES, Settings


def _extractive(settings: Settings) -> Generator:
    from corpusqa.generate.extractive import ExtractiveGenerator

    return ExtractiveGenerator()


def _openai(
    settings: Settings, label: str = "openai", base_url: str = "", model: str = ""
) -> Generator:
    from corpusqa.generate.openai import OpenAIGenerator

    model = model or settings.openai_model
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return OpenAIGenerator(
        label=f"{label}:{model}",
        prompts=_prompts(settings),
        base_url=base_url or settings.openai_base_url,
        model=model,
        api_key=key,
        timeout_s=settings.generator_timeout_s,
        temperature=settings.generator_temperature,
        max_tokens=settings.generator_max_tokens,
    )


def _ollama(settings: Settings) -> Generator:
    # Ollama speaks the OpenAI protocol under /v1, so it is the openai backend with its own defaults.
    return _openai(settings, "ollama", settings.ollama_base_url, settings.ollama_model)


def _llamacpp(settings: Settings) -> Generator:
    from corpusqa.generate.llamacpp import LlamaCppGenerator

    return LlamaCppGenerator(
        prompts=_prompts(settings),
        gguf_path=settings.gguf_path,
        threads=settings.generator_threads,
        context=settings.generator_context,
        timeout_s=settings.generator_timeout_s,
        temperature=settings.generator_temperature,
        max_tokens=settings.generator_max_tokens,
    )


GENERATORS: dict[str, Callable[[Settings], Generator]] = {
    "extractive": _extractive,
    "openai": _openai,
    "ollama": _ollama,
    "llamacpp": _llamacpp,
}
assert tuple(GENERATORS) == GENERATOR_NAMES  # settings validates names without importing this


def make_generator(settings: Settings) -> Generator:
    """A generator by name, or 'package.module:Class' for your own (constructed with settings)."""
    name = settings.generator
    if name in GENERATORS:
        return GENERATORS[name](settings)
    if ":" in name:
        return _plugin(name, settings)
    raise SettingsError(f"unknown generator '{name}': use one of {', '.join(GENERATORS)}")


def _prompts(settings: Settings) -> ChatPrompts:
    return ChatPrompts(settings.prompts_dir, settings.answer_prompt, settings.condense_prompt)


def _plugin(name: str, settings: Settings) -> Generator:
    module_name, _, class_name = name.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as error:
        raise SettingsError(f"generator '{name}' could not be imported: {error}") from None
    generator = cls(settings)
    if not isinstance(generator, Generator):
        raise SettingsError(f"generator '{name}' is not a corpusqa.generate.Generator")
    return generator
