"""Every swappable part is named the same way: built-in names and `module:Class` resolve alike."""

from __future__ import annotations

import pytest

from corpusqa.errors import SettingsError
from corpusqa.registry import EMBEDDERS, GENERATORS, STORES, Registry
from corpusqa.settings import load_settings


@pytest.mark.parametrize("registry", [EMBEDDERS, STORES, GENERATORS], ids=lambda r: r.kind)
def test_an_unknown_name_is_one_error_listing_the_known_ones(registry: Registry) -> None:
    with pytest.raises(SettingsError) as raised:
        registry.create("nonesuch", load_settings())
    message = str(raised.value)
    assert f"unknown {registry.kind} 'nonesuch'" in message
    assert all(name in message for name in registry.builtins) and "module:Class" in message


@pytest.mark.parametrize("registry", [EMBEDDERS, STORES, GENERATORS], ids=lambda r: r.kind)
def test_a_class_that_is_not_the_interface_is_refused_by_name(registry: Registry) -> None:
    with pytest.raises(SettingsError, match=r"'fakes:NotAPart' is not a corpusqa\."):
        registry.create("fakes:NotAPart", load_settings())
    with pytest.raises(SettingsError, match="cannot import it"):
        registry.create("no_such_module:Thing", load_settings())


def test_a_users_own_part_is_made_with_the_settings_like_a_built_in() -> None:
    from fakes import WordHashEmbedder

    settings = load_settings(embedding_model="fakes:WordHashEmbedder")
    made = EMBEDDERS.create(settings.embedding_model, settings)
    assert isinstance(made, WordHashEmbedder) and made.dimension == 256
    assert GENERATORS.create("extractive", settings).label == "extractive"


def test_settings_check_generator_and_store_names_against_the_registry() -> None:
    with pytest.raises(SettingsError, match="unknown generator 'gpt'"):
        load_settings(generator="gpt")
    with pytest.raises(SettingsError, match="unknown store 'faiss'"):
        load_settings(store="faiss")
    assert load_settings(generator="mine.module:Generator").generator == "mine.module:Generator"
