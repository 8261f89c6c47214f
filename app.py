"""Start the corpusqa chat: `python app.py` is the same as `corpusqa serve`."""

import sys

from corpusqa.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
