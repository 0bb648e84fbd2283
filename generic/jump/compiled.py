"""The compiled path: :func:`.simulate.simulate` compiled by Numba, one run or a whole ensemble.

The user's propensities are compiled per process (plain Python or ``numba.njit``; returning a
tuple, an array or a list) and enter the loop as a first-class function value of fixed
signature: ``rates(a, x, p) -> int`` writes them into ``a`` (``intp(float64[::1], int64[::1],
p)``),
built from its two native addresses as in the ODE fast path (``generic.ode.fast.functions``).
So the loop itself is compiled once per type of ``p`` and cached on disk by Numba; a new
propensity function costs only its own compilation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from numba import njit, prange, typeof, types
from numba.extending import intrinsic, overload

from ..compiled_cache import keyed_on_sources
from ..ode.fast.functions import _function_value, addresses
from .random import seed_stream
from .simulate import simulate

__all__ = ["compiled_rates_addresses", "run_compiled", "ensemble_compiled"]


def _rates_signature(x_type, p_type):
    return types.intp(types.float64[::1], types.unliteral(x_type), types.unliteral(p_type))


@intrinsic
def rates_value(typingctx, addrs, x, p):
    """``rates(a, x, p) -> int`` from its addresses (``x`` and ``p`` give the signature)."""
    function_type = types.FunctionType(_rates_signature(x, p))

    def codegen(context, builder, signature, args):
        return _function_value(context, builder, function_type, args[0])
    return function_type(addrs, x, p), codegen


def store_rates(a, r):
    """Copy the rates ``r`` (a tuple, array or list) into ``a`` if there is one per slot;
    return how many ``r`` has (compiled only)."""
    raise NotImplementedError("compiled code only")


@overload(store_rates)
def _store_rates(a, r):
    if isinstance(r, types.BaseTuple):  # unrolled: a tuple may mix ints and floats
        stores = "".join(f"        a[{j}] = r[{j}]\n" for j in range(len(r)))
        source = (f"def impl(a, r):\n    if a.shape[0] == {len(r)}:\n{stores or '        pass'}"
                  f"\n    return {len(r)}\n")
        namespace: dict = {}
        exec(source, namespace)  # noqa: S102 - generated from a length only
        return namespace["impl"]
    if isinstance(r, types.Array) and r.ndim != 1:
        return lambda a, r: -1

    def impl(a, r):
        if len(r) == a.shape[0]:
            for j in range(len(r)):
                a[j] = r[j]
        return len(r)
    return impl


@lru_cache(maxsize=1024)
def _rates_into(propensities: Callable):
    inner = propensities if hasattr(propensities, "py_func") else njit(propensities)

    @njit
    def rates(a, x, p):
        return store_rates(a, inner(x, p))
    return rates


def compiled_rates_addresses(propensities: Callable, p) -> tuple[int, int]:
    """The addresses of ``propensities`` compiled for an int64 state and ``p``'s type (raises
    Numba's error if it does not compile)."""
    return _addresses(propensities, typeof(p))


@lru_cache(maxsize=1024)
def _addresses(propensities: Callable, p_type) -> tuple[int, int]:
    return addresses(_rates_into(propensities), _rates_signature(types.int64[::1], p_type))


@keyed_on_sources
@njit(cache=True)
def run_compiled(addrs, x0, p, tf, species, changes, counts, grid, out, every_event, sorting,
                 maxiters, seed):
    """One run seeded with ``seed``: :func:`.simulate.simulate`'s results."""
    rates = rates_value(addrs, x0, p)
    seed_stream(seed)
    return simulate(rates, x0, p, tf, species, changes, counts, grid, out, every_event,
                    sorting, maxiters)


@keyed_on_sources
@njit(cache=True, parallel=True)
def ensemble_compiled(addrs, x0, p, tf, species, changes, counts, grid, out, sorting,
                      maxiters, seeds, status, events, t_end, bad, bad_value):
    """Run ``i`` seeded with ``seeds[i]`` for every ``i``, in parallel threads: its grid
    states into ``out[i]``, its status, events, end time and bad reaction into the arrays."""
    for i in prange(seeds.shape[0]):
        rates = rates_value(addrs, x0, p)
        seed_stream(seeds[i])
        result = simulate(rates, x0, p, tf, species, changes, counts, grid, out[i], False,
                          sorting, maxiters)
        status[i] = result[0]
        events[i] = result[1]
        t_end[i] = result[2]
        bad[i] = result[6]
        bad_value[i] = result[7]
