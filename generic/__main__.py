"""Command line: ``python -m generic tour [section ...]`` and ``python -m generic compile``."""

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
    warm = commands.add_parser("compile", help="compile the float64 fast path ahead of its first "
                               "use (once per machine: a minute or so per kind)")
    warm.add_argument("kinds", nargs="*", help="explicit, explicit-number, rosenbrock, implicit, "
                      "ensemble (default: all)")
    args = parser.parse_args(argv)
    if args.command == "compile":
        from .ode.fast.warm import warm as warm_up

        for kind, seconds in warm_up(args.kinds).items():
            print(f"{kind:16s} {seconds:6.1f} s")
        return

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
