"""Command line: ``python -m generic tour [section ...]``."""

from __future__ import annotations

import argparse
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m generic", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    tour = commands.add_parser("tour", help="show each capability in a few seconds")
    tour.add_argument("sections", nargs="*", help="sections to show (default: all but the "
                      "on-request ones, e.g. fastpath)")
    tour.add_argument("--list", action="store_true", help="list the sections and exit")
    args = parser.parse_args(argv)

    from . import tour as tour_module

    tour_module.load_later_sections()
    if args.list:
        print("\n".join(name + ("  (on request)" if name in tour_module.ON_REQUEST else "")
                        for name in tour_module.SECTIONS))
        return
    start = time.perf_counter()
    tour_module.run(args.sections)
    print(f"\ntour finished in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
