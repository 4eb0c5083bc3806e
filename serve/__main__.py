"""The command line: `python -m serve run | models fetch | models tiny | models convert | bench`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def resolved_config(config_path: Path, port: int) -> dict:
    """serve_config.yaml with the guide's PORT applied to Serve's HTTP options."""
    config = yaml.safe_load(config_path.read_text())
    config.setdefault("http_options", {})["port"] = port
    return config


def cmd_run(args: argparse.Namespace) -> int:
    from serve.run import supervise
    from serve.settings import Settings

    return supervise(resolved_config(Path(args.config), Settings().port))


def cmd_models_tiny(args: argparse.Namespace) -> int:
    from pipelines.models import CTRANSLATE2_DIR, build_random, convert

    path = build_random(args.path, shape=args.shape, seed=args.seed)
    convert(path, path / CTRANSLATE2_DIR)
    print(f"built a random {args.shape} T5 at {path} (and its CTranslate2 form in {CTRANSLATE2_DIR}/)")
    return 0


def cmd_models_fetch(args: argparse.Namespace) -> int:
    from pipelines.models import CTRANSLATE2_DIR, convert, fetch
    from serve.settings import Settings

    path = fetch(args.name, args.path or Settings().t5_model_path)
    convert(path, path / CTRANSLATE2_DIR)
    print(f"fetched {args.name} into {path} (and its CTranslate2 form in {CTRANSLATE2_DIR}/)")
    return 0


def cmd_models_convert(args: argparse.Namespace) -> int:
    from pipelines.models import convert

    print(f"converted {args.src} for CTranslate2 into {convert(args.src, args.dst)}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from pipelines.bench.cli import run_bench

    return run_bench(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m serve", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="serve the graph on PORT (default 3001) with Ray Serve")
    run.add_argument("--config", default=str(ROOT / "serve_config.yaml"))
    run.set_defaults(func=cmd_run)

    models = commands.add_parser("models", help="T5 model files").add_subparsers(dest="models_command", required=True)
    fetch = models.add_parser("fetch", help="download a Hugging Face checkpoint (needs the hub)")
    fetch.add_argument("name", help="flan-t5-small, flan-t5-base, coedit-large, t5-grammar, or any hub id")
    fetch.add_argument("--path", help="target directory (default: T5_MODEL_PATH)")
    fetch.set_defaults(func=cmd_models_fetch)
    tiny = models.add_parser("tiny", help="build a random T5 offline (tests, benchmarks)")
    tiny.add_argument("path")
    tiny.add_argument("--shape", default="tiny", choices=["tiny", "t5-small"])
    tiny.add_argument("--seed", type=int, default=0)
    tiny.set_defaults(func=cmd_models_tiny)
    convert = models.add_parser("convert", help="convert a transformers T5 checkpoint for the ctranslate2 backend")
    convert.add_argument("src", help="checkpoint directory")
    convert.add_argument("dst", help="output directory (SRC/ctranslate2 is where the T5 deployment looks)")
    convert.set_defaults(func=cmd_models_convert)

    from serve.store_cli import add_commands as add_store_commands

    add_store_commands(commands)

    from serve.protection_cli import add_commands as add_protection_commands

    from serve.security import add_key_commands

    add_key_commands(add_protection_commands(commands, models))

    from pipelines.bench.cli import add_arguments

    bench = commands.add_parser("bench", help="measure the service (see docs/benchmarks.md)")
    add_arguments(bench)
    bench.set_defaults(func=cmd_bench)

    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
