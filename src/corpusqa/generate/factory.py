"""make_generator(settings): the generator named by settings.generator.

The built-in generators' factories; `corpusqa.registry.GENERATORS` names them, and resolves a
user's own `module:Class` the same way (constructed with the settings).
"""

from __future__ import annotations

from corpusqa.generate.base import ChatPrompts, Generator
from corpusqa.registry import GENERATORS
from corpusqa.settings import Settings


def extractive(settings: Settings) -> Generator:
    from corpusqa.generate.extractive import ExtractiveGenerator

    return ExtractiveGenerator()


def openai(settings: Settings) -> Generator:
    return _openai_protocol(settings, "openai", settings.openai_base_url, settings.openai_model)


def _openai_protocol(settings: Settings, label: str, base_url: str, model: str) -> Generator:
    from corpusqa.generate.openai import OpenAIGenerator

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return OpenAIGenerator(
        label=f"{label}:{model}",
        prompts=_prompts(settings),
        base_url=base_url,
        model=model,
        api_key=key,
        timeout_s=settings.generator_timeout_s,
        temperature=settings.generator_temperature,
        max_tokens=settings.generator_max_tokens,
    )


def ollama(settings: Settings) -> Generator:
    # Ollama speaks the OpenAI protocol under /v1, so it is the openai backend with its own defaults.
    return _openai_protocol(settings, "ollama", settings.ollama_base_url, settings.ollama_model)


def llamacpp(settings: Settings) -> Generator:
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


def make_generator(settings: Settings) -> Generator:
    """A generator by name, or 'package.module:Class' for your own (constructed with settings)."""
    generator: Generator = GENERATORS.create(settings.generator, settings)
    return generator


def _prompts(settings: Settings) -> ChatPrompts:
    return ChatPrompts(settings.prompts_dir, settings.answer_prompt, settings.condense_prompt)
