"""The `corpusqa` command: a thin shell over the library. Heavy imports happen inside commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from corpusqa.errors import UserFacingError
from corpusqa.settings import Settings, field_descriptions, load_settings

USAGE_ERROR = 2


class UserError(UserFacingError):
    """A problem the user can fix; printed as one line, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(**_overrides(args))
        return int(args.run(args, settings) or 0)
    except KeyboardInterrupt:
        print("corpusqa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        if not _stdout_is_closed():
            raise  # another pipe (a subprocess, a socket) broke: a real error
        # The reader stopped early (`corpusqa articles | head`): not an error of ours. Point
        # stdout at nothing so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # every known user error becomes one line, no traceback
        if os.environ.get("CORPUSQA_DEBUG") or not _is_user_error(error):
            raise
        print(f"corpusqa: error: {error}", file=sys.stderr)
        return USAGE_ERROR


def _stdout_is_closed() -> bool:
    """Whether stdout is a pipe whose reader has gone (poll reports an error on its end)."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def _is_user_error(error: Exception) -> bool:
    from corpusqa.errors import UserFacingError

    return isinstance(error, UserFacingError)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    values = {
        "store_dir": getattr(args, "store", None),
        "top_k": getattr(args, "k", None),
        "generator": getattr(args, "generator", None),
    }
    return {key: value for key, value in values.items() if value is not None}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpusqa", description="Answers from a corpus of articles, with verified quotes."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    store_flag = argparse.ArgumentParser(add_help=False)
    store_flag.add_argument("--store", type=Path, help="store folder (default: settings store_dir)")
    json_flag = argparse.ArgumentParser(add_help=False)
    json_flag.add_argument("--json", action="store_true", help="print JSON")
    generator_flag = argparse.ArgumentParser(add_help=False)
    generator_flag.add_argument(
        "--generator",
        metavar="NAME",
        help="extractive (default), openai, ollama, llamacpp or module:Class",
    )

    _command(commands, "ingest", cmd_ingest, "embed a folder of articles", [store_flag, json_flag])
    commands.choices["ingest"].add_argument("path", nargs="?", type=Path, help="corpus folder")
    commands.choices["ingest"].add_argument(
        "--rebuild", action="store_true", help="drop the store and embed everything again"
    )
    commands.choices["ingest"].add_argument(
        "--yes",
        action="store_true",
        help="remove the store's articles that the folder lacks, even all of them or when the "
        "folder is not the one the store was built from",
    )
    search = _command(
        commands, "search", cmd_search, "show ranked passages", [store_flag, json_flag]
    )
    search.add_argument("question")
    search.add_argument("-k", type=int, help="how many passages")
    ask = _command(
        commands, "ask", cmd_ask, "answer a question", [store_flag, json_flag, generator_flag]
    )
    ask.add_argument("question")
    ask.add_argument("--history", action="append", default=[], help="an earlier question (repeat)")
    ask.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="FILE",
        help="answer from this article only (its file name, as `corpusqa articles` lists it; "
        "repeat for several)",
    )
    _command(
        commands,
        "articles",
        cmd_articles,
        "list the articles in the store",
        [store_flag, json_flag],
    )
    _command(commands, "stats", cmd_stats, "what the store holds", [store_flag, json_flag])
    _command(
        commands, "config", cmd_config, "print the effective settings", [store_flag, json_flag]
    )
    evaluate = _command(
        commands, "eval", cmd_eval, "score a question set", [store_flag, generator_flag]
    )
    evaluate.add_argument("questions", type=Path, help="question set (JSONL)")
    evaluate.add_argument("--out", type=Path, help="write the JSON report here")
    evaluate.add_argument("--markdown", type=Path, help="write the Markdown report here")
    evaluate.add_argument(
        "--html", type=Path, help="write a self-contained HTML report here (charts, no script)"
    )
    evaluate.add_argument(
        "--fail-under",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="exit 1 when a summary metric is below VALUE (repeatable)",
    )
    evaluate.add_argument(
        "--compare",
        type=Path,
        metavar="PREVIOUS.json",
        help="a JSON report of an earlier run: metric deltas, and the questions fixed and broken",
    )
    evaluate.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="with --compare: exit 1 when a metric drops by more than eval_regression_tolerance "
        "or a question that passed fails",
    )
    evaluate.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="FIELD",
        help="every metric per value of a question field (question_type, answer_kind, "
        "answerable; repeatable)",
    )
    evaluate.add_argument(
        "--format",
        choices=["auto", "corpusqa", "squad2", "rag"],
        default="auto",
        help="the question set's format (default: detected): ours (JSONL), SQuAD v2 JSON, or "
        "RAG-eval JSONL/CSV (question, ground_truth/answer, contexts)",
    )
    evaluate.add_argument("--limit", type=int, help="only the first N questions")
    evaluate.add_argument("--sample", type=int, help="a random sample of N questions")
    evaluate.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    calibrate = _command(
        commands, "calibrate", cmd_calibrate, "fit the confidence model", [store_flag, json_flag]
    )
    calibrate.add_argument(
        "questions",
        nargs="+",
        help="question sets with unanswerable questions, each PATH (on --store) or PATH@STORE_DIR",
    )
    calibrate.add_argument(
        "--held-out",
        action="append",
        default=[],
        metavar="PATH[@STORE_DIR]",
        help="a question set to report on but never fit on (repeatable)",
    )
    calibrate.add_argument("--out", type=Path, help="write the fitted model here (JSON)")
    serve = _command(commands, "serve", cmd_serve, "serve the chat", [store_flag, generator_flag])
    serve.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other than this machine (then set ui_user/ui_password for a login)",
    )
    bench = _command(
        commands, "bench", cmd_bench, "measure ingest, answers, recall, memory, start-up", []
    )
    bench.add_argument(
        "--sizes", default="1000,10000,100000", help="corpus sizes in chunks (comma-separated)"
    )
    bench.add_argument("--json", action="store_true", help="print one JSON line per figure")
    bench.add_argument("--out", type=Path, help="also write the JSON lines here")
    bench.add_argument("--workdir", type=Path, default=Path("build/bench"))
    bench.add_argument("--questions", type=Path, default=Path("data/eval/questions.jsonl"))
    bench.add_argument(
        "--chunk-size", type=int, default=64, help="bench chunk length in tokens (default 64)"
    )
    bench.add_argument(
        "--encode-sample", type=int, default=5000, help="chunks in the bare-encode comparison"
    )
    bench.add_argument(
        "--llamaindex-max",
        type=int,
        default=10000,
        help="largest size also run through a plain LlamaIndex pipeline",
    )
    bench.add_argument(
        "--reuse-store",
        action="store_true",
        help="keep each size's store from an earlier run: search figures only, no ingest",
    )
    llm = _command(
        commands, "llm-server", cmd_llm_server, "serve a GGUF model over the OpenAI protocol", []
    )
    llm.add_argument("--gguf", type=Path, help="model file (default: settings gguf_path)")
    llm.add_argument("--host", default="127.0.0.1")
    llm.add_argument("--port", type=int, default=8080)
    return parser


def _command(
    commands: Any, name: str, run: Callable[..., int], help_text: str, parents: list[Any]
) -> argparse.ArgumentParser:
    sub: argparse.ArgumentParser = commands.add_parser(
        name, help=help_text, description=help_text, parents=parents
    )
    sub.set_defaults(run=run)
    return sub


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.ingest.pipeline import ingest

    summary = ingest(
        settings,
        args.path,
        rebuild=args.rebuild,
        progress=sys.stderr.isatty(),
        confirm_removal=lambda question: args.yes or _asked_yes(f"{question.what}. Remove them?"),
    )
    if args.json:
        _print_json(summary.to_dict())
        return 0
    print(
        f"{summary.files} files: {summary.added} added, {summary.updated} updated, "
        f"{summary.removed} removed, {summary.unchanged} unchanged; "
        f"{summary.chunks_embedded} chunks embedded ({summary.chunks_total} in store) "
        f"in {summary.seconds:.1f}s"
    )
    for skipped in summary.skipped:
        print(f"skipped {skipped['file']}: {skipped['reason']}")
    return 0


def _asked_yes(question: str) -> bool:
    """Ask on a terminal; without one (scripts, CI) the answer is no."""
    if not sys.stdin.isatty():
        return False
    reply = input(f"{question} [y/N] ")
    return reply.strip().lower() in {"y", "yes"}


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.retrieval import Retriever

    if not args.question.strip():
        raise UserError("type a question to search for")
    _require_store(settings)
    passages = Retriever(settings).search(args.question, args.k or settings.top_k)
    if args.json:
        keys = ("source", "start", "end", "text", "title", "score")
        _print_json([{key: getattr(p, key) for key in keys} for p in passages])
        return 0
    for rank, passage in enumerate(passages, start=1):
        print(f"{rank}. {passage.source} [{passage.start}:{passage.end}] score={passage.score:.4f}")
        print(f"   {passage.title}")
        print("   " + " ".join(passage.text.split())[:300])
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.answer import Answerer

    _require_store(settings)
    result = Answerer(settings).answer(args.question, args.history, args.source)
    if args.json:
        _print_json(result.model_dump())
        return 0
    if result.scope:
        print(f"(asked within: {', '.join(result.scope)})\n")
    print(result.answer)
    if result.notice:
        print(f"\nNote: {result.notice}")
    for citation in result.citations:
        print(f"\n[{citation.n}] {citation.source} — {citation.title}\n    “{citation.quote}”")
    if result.related:
        print("\nRelated passages (not an answer):")
        for citation in result.related:
            print(f"  - {citation.source} — “{citation.quote}”")
    return 0


def cmd_articles(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.library import list_articles
    from corpusqa.store import open_store

    _require_store(settings)
    articles = list_articles(open_store(settings))
    if args.json:
        _print_json([a.model_dump() for a in articles])
        return 0
    for article in articles:
        about = " · ".join(p for p in (article.publisher, article.date) if p)
        print(f"{article.source}  {article.title or '(no title)'}")
        print(f"    {about + ' · ' if about else ''}{article.chunks} chunks · {article.indexed_at}")
    print(f"{len(articles)} articles")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.store import open_store

    store = open_store(settings)
    info = store.info()
    stats = {
        "files": len(store.files()),
        "chunks": store.count(),
        "embedding_model": info.get("embedding_model", settings.embedding_model),
        "store": settings.store_address(),
        "corpus_dir": info.get("corpus_dir", str(settings.corpus_dir)),
    }
    if args.json:
        _print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return 0


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    values = settings.public_dict()
    if args.json:
        _print_json(values)
        return 0
    descriptions = field_descriptions()
    for key, value in values.items():
        print(f"{key} = {value!r}    # CORPUSQA_{key.upper()}: {descriptions.get(key, '')}")
    return 0


def _question_set(path: Path, format: str = "corpusqa", settings: Settings | None = None) -> Any:
    from corpusqa.eval import formats

    if not path.is_file():
        raise UserError(f"question set '{path}' not found")
    question_set = formats.read(path, format, _titles(settings) if settings else None)
    for problem in question_set.problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if not question_set.questions:
        raise UserError(f"question set '{path}' has no valid question")
    return question_set


def _floors(specs: list[str]) -> dict[str, float]:
    floors = {}
    for spec in specs:
        metric, _, value = spec.partition("=")
        try:
            floors[metric.strip()] = float(value)
        except ValueError:
            raise UserError(f"--fail-under expects METRIC=NUMBER, got '{spec}'") from None
    return floors


def _titles(settings: Settings) -> dict[str, str]:
    """Article title -> source file, so a format that names articles by title can cite files."""
    from corpusqa.store import open_store

    return {r.title: source for source, r in open_store(settings).files().items() if r.title}


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.answer import Answerer
    from corpusqa.eval import compare, runner

    floors = _floors(args.fail_under)
    question_set = _question_set(args.questions, args.format, settings)
    previous = _previous_report(args.compare) if args.compare else None
    if args.fail_on_regression and previous is None:
        raise UserError("--fail-on-regression needs --compare PREVIOUS.json")
    for count, flag in ((args.limit, "--limit"), (args.sample, "--sample")):
        if count is not None and count < 1:
            raise UserError(f"{flag} needs a positive number of questions")
    question_set.questions = runner.select(
        question_set.questions, args.limit, args.sample, args.seed
    )
    _require_store(settings)
    answerer = Answerer(settings)
    report = runner.run(question_set, answerer, progress=sys.stderr.isatty(), by=args.by)
    unknown = set(floors) - set(report["summary"])
    if unknown:
        raise UserError(f"--fail-under: unknown metric(s) {sorted(unknown)}")
    comparison = compare.compare(previous, report) if previous is not None else None
    if comparison is not None:
        report["comparison"] = comparison.to_dict()
    runner.write_reports(report, args.out, args.markdown, args.html)
    for key, value in report["summary"].items():
        print(f"{key:>24}: {value}")
    problems = [f"below floor: {line}" for line in runner.shortfalls(report["summary"], floors)]
    if comparison is not None:
        _print_comparison(comparison)
        if args.fail_on_regression:
            tolerance = settings.eval_regression_tolerance
            problems += [f"regression: {line}" for line in comparison.regressions(tolerance)]
    for line in problems:
        print(f"corpusqa: {line}", file=sys.stderr)
    return 1 if problems else 0


def _previous_report(path: Path) -> dict[str, Any]:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UserError(f"--compare: cannot read {path} ({error})") from None
    if not isinstance(report, dict) or "summary" not in report or "results" not in report:
        raise UserError(f"--compare: {path} is not a JSON report of `corpusqa eval --out`")
    return report


def _print_comparison(comparison: Any) -> None:
    print("compared with the previous run:")
    for metric, (before, after) in comparison.deltas.items():
        if before != after:
            print(f"{metric:>24}: {before} -> {after}")
    for title, changes in (("fixed", comparison.fixed), ("broken", comparison.broken)):
        print(f"{title}: {len(changes)}")
        for change in changes:
            print(
                f"  {change.id}: {change.question}\n    before: {change.before}\n    after:  {change.after}"
            )


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.eval.calibrate import calibrate

    fitted_on = [e for spec in args.questions for e in _calibration_examples(spec, settings)]
    held_out = [e for spec in args.held_out for e in _calibration_examples(spec, settings)]
    try:
        result = calibrate(fitted_on, held_out)
    except ValueError as error:
        raise UserError(str(error)) from None
    model = result["model"]
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    if args.json:
        _print_json({k: v for k, v in result.items() if k != "model"} | {"model": model.__dict__})
        return 0
    print(f"threshold {model.threshold}; fitted: {result['fitted']}")
    if result["held_out"]:
        print(f"held out: {result['held_out']}")
    if args.out:
        print(f"wrote {args.out}: use it with CORPUSQA_CONFIDENCE_MODEL={args.out}")
    return 0


def _calibration_examples(spec: str, settings: Settings) -> list[Any]:
    """The labelled candidates of one question set, answered on its own store."""
    from corpusqa.answer import Answerer
    from corpusqa.eval.calibrate import collect

    path, _, store = spec.partition("@")
    on_store = settings.model_copy(update={"store_dir": Path(store)}) if store else settings
    _require_store(on_store)
    return collect(_question_set(Path(path)), Answerer(on_store))


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.ui.app import LOOPBACK, serve

    local = args.host in LOOPBACK
    if not local and not args.allow_remote:
        raise UserError(
            f"--host {args.host} would open the chat to the network: add --allow-remote "
            "(and set CORPUSQA_UI_USER / CORPUSQA_UI_PASSWORD to require a login)"
        )
    _check_port_free(args.host, args.port)  # before the ingest and the model load, not after
    serve(settings, host=args.host, port=args.port, auth=settings.ui_login())
    return 0


def _check_port_free(host: str, port: int) -> None:
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind((host, port))
    except OSError as error:
        raise UserError(
            f"cannot serve on {host}:{port} ({error.strerror or error}): another program is "
            "using it; stop it or pass --port with a free port"
        ) from None


def cmd_llm_server(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.generate.llm_server import serve_forever

    gguf = args.gguf or settings.gguf_path
    if gguf is None:
        raise UserError("name the model file: --gguf PATH (or set CORPUSQA_GGUF_PATH)")
    threads, context = settings.generator_threads, settings.generator_context
    serve_forever(gguf, args.host, args.port, threads, context)
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from corpusqa.bench.run import BenchOptions, run

    try:
        sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        raise UserError(f"--sizes expects numbers like 1000,10000, got '{args.sizes}'") from None
    if not sizes or min(sizes) < 1:
        raise UserError("--sizes needs at least one positive chunk count")
    _question_set(args.questions)  # a bad question set fails now, not after an ingest
    options = BenchOptions(
        sizes=sizes,
        workdir=args.workdir,
        questions=args.questions,
        articles=settings.corpus_dir,
        chunk_size=args.chunk_size,
        encode_sample=args.encode_sample,
        llamaindex_max=args.llamaindex_max,
        reuse_store=args.reuse_store,
    )
    out = _figures_file(args.out) if args.out else None
    try:
        for figure in run(settings, options):
            line = json.dumps(figure, ensure_ascii=False)
            if out:
                out.write(line + "\n")
                out.flush()
            print(line if args.json else _figure_row(figure), flush=True)
    finally:
        if out:
            out.close()
    return 0


def _figures_file(path: Path) -> IO[str]:
    """Opened before the minutes of measuring, so a path that cannot be written fails now; its
    folder is made (`make bench` writes into build/, which a fresh clone lacks)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("w", encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write --out {path} ({error.strerror or error})") from None


def _figure_row(figure: dict[str, Any]) -> str:
    extra = " ".join(
        f"{k}={v}" for k, v in figure.items() if k not in {"name", "value", "unit", "size"}
    )
    return f"{figure['size']:>7}  {figure['name']:<36} {figure['value']:>12} {figure['unit']} {extra}".rstrip()


def _require_store(settings: Settings) -> None:
    from corpusqa.store import open_store

    if open_store(settings).count() == 0:
        raise UserError(
            f"the store at {settings.store_address()} is empty: run `corpusqa ingest` first"
        )


if __name__ == "__main__":
    sys.exit(main())
