"""Any OpenAI-compatible server (llama.cpp, xllamacpp, Ollama's /v1, vLLM, LM Studio) via llama-index."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from corpusqa.errors import GeneratorError, SettingsError
from corpusqa.generate.base import ChatModelGenerator, ChatPrompts

INSTALL_HINT = "pip install llama-index-llms-openai-like"


class OpenAIGenerator(ChatModelGenerator):
    def __init__(
        self,
        *,
        label: str,
        prompts: ChatPrompts,
        base_url: str,
        model: str,
        api_key: str | None,
        timeout_s: float,
        temperature: float,
        max_tokens: int,
    ) -> None:
        super().__init__(label, prompts, timeout_s)
        self.base_url = base_url
        self._api_key = api_key
        self._llm = _openai_like_class()(
            model=model,
            api_base=base_url,
            # Local servers take any key; the client library insists on one.
            api_key=api_key or "not-needed",
            is_chat_model=True,
            timeout=timeout_s,
            max_retries=0,  # a retry doubles the wait of a chat turn; the fallback answers instead
            temperature=temperature,
            max_tokens=max_tokens,
        )

    def _stream_chat(self, messages: list[dict[str, str]], max_tokens: int | None) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        chat = [ChatMessage(role=m["role"], content=m["content"]) for m in messages]
        extra = {"max_tokens": max_tokens} if max_tokens else {}
        try:
            for response in self._llm.stream_chat(chat, **extra):
                if response.delta:
                    yield response.delta
        except Exception as error:  # the client's errors vary by version; all mean "no answer"
            raise GeneratorError(self._describe(error)) from None

    def _describe(self, error: Exception) -> str:
        kind = type(error).__name__
        if "Timeout" in kind:
            reason = f"did not answer within {self.timeout_s:g} s"
        elif "Connection" in kind:
            reason = "could not be reached"
        else:
            reason = f"failed ({kind}: {str(error)[:200]})"
        message = f"the model server at {self.base_url} {reason}"
        return message.replace(self._api_key, "***") if self._api_key else message


def _openai_like_class() -> Any:
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError:
        raise SettingsError(
            f"the 'openai' generator needs an extra package: {INSTALL_HINT}"
        ) from None
    return OpenAILike
