"""Counter-based random numbers: a draw is a pure function of ``(key, counter)``.

Floor 2 (it imports only NumPy and Numba). Written once as ``numba.extending.register_jitable``
functions on ``uint64``: compiled code (the SDE ensemble's ``prange`` loop) calls them on
scalars, and Python calls them through the small compiled functions :func:`normals` and
:func:`brownian_grid`, so both paths get the same bits by construction. There is no state to
share: two streams (two keys) never interfere, and a stream is replayed by its counter.

- :func:`mix64`: SplitMix64's output function (Stafford's "Mix13"; S. Vigna,
  https://prng.di.unimi.it/splitmix64.c), a bijection of 64-bit words.
- :func:`random_bits`: ``mix64(mix64(counter) + key)``, two keyed rounds of that bijection (the
  construction of counter-based generators such as Philox and Threefry, Salmon et al. 2011,
  "Parallel random numbers: as easy as 1, 2, 3", SC'11, with a cheaper round).
- :func:`normal`: the Ziggurat method (Marsaglia & Tsang 2000) on one word per normal
  (Box–Muller's log, sqrt and cos/sin cost about 30× the word's two mixing rounds).
- :func:`stream_key`: the key of stream ``index`` of a seed (trajectory ``index`` of an
  ensemble); distinct for distinct indices of one seed.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numba.extending import register_jitable

__all__ = ["mix64", "splitmix64", "random_bits", "uniform_open", "normal", "fill_normals",
           "normals", "brownian_grid", "brownian_values_from", "stream_key", "stream_keys",
           "seed_key", "seed_root"]

GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd: SplitMix64's increment
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S11, _S27, _S30, _S31 = np.uint64(11), np.uint64(27), np.uint64(30), np.uint64(31)
_ONE = np.uint64(1)
_TO_UNIT = 2.0**-53


@register_jitable
def mix64(z):
    """SplitMix64's output function: a bijection of ``uint64`` words (scalars or arrays)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@register_jitable
def splitmix64(z):
    """SplitMix64 (Vigna): ``mix64(z + golden)``, on ``uint64``."""
    return mix64(z + GOLDEN)


@register_jitable
def random_bits(key, counter):
    """64 random bits, a pure function of the ``uint64`` ``key`` and ``counter``."""
    return mix64(mix64(counter) + key)


@register_jitable
def uniform_open(bits):
    """The top 53 bits of ``bits`` as a uniform float in (0, 1): ``(k + 1/2) 2**-53``."""
    return ((bits >> _S11) + 0.5) * _TO_UNIT


def _ziggurat_tables(layers: int = 256, r: float = 3.6541528853610088,
                     area: float = 0.00492867323399) -> tuple:
    """Marsaglia & Tsang's layer edges ``x[0] = area / f(r) > x[1] = r > ... > x[layers] = 0``
    for ``f(x) = exp(-x²/2)`` (equal areas ``area``; ``r`` and ``area`` for 256 layers from
    Marsaglia & Tsang 2000, J. Stat. Softw. 5(8)), and ``f`` at them."""
    x = np.zeros(layers + 1)
    x[0], x[1] = area / math.exp(-r * r / 2), r
    for i in range(1, layers - 1):
        x[i + 1] = math.sqrt(-2 * math.log(area / x[i] + math.exp(-x[i] * x[i] / 2)))
    return x, np.exp(-x * x / 2)


_ZIG_X, _ZIG_F = _ziggurat_tables()
_ZIG_SCALE = _ZIG_X[:-1] * _TO_UNIT  # a 53-bit integer times this is the abscissa in layer i
_ZIG_INSIDE = np.floor(_ZIG_X[1:] / _ZIG_X[:-1] * 2.0**53).astype(np.int64)  # its rectangle
_ZIG_R = 3.6541528853610088
_LAYER, _S8 = np.uint64(0xFF), np.uint64(8)


@register_jitable
def normal(key, counter):
    """A standard normal, a pure function of the ``uint64`` ``key`` and ``counter``: the
    Ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat method for generating random
    variables", J. Stat. Softw. 5(8)) on the word ``random_bits(key, counter)``: 8 bits pick
    the layer, 1 the sign, 53 the abscissa; the rare retries (about 1.2%) take their words
    from the SplitMix64 sequence after it."""
    bits = random_bits(key, counter)
    while True:
        i = np.intp(bits & _LAYER)
        sign = 1.0 - np.int64((bits >> _S8) & _ONE) * 2.0  # no branch: its bit is a coin flip
        j = np.int64(bits >> _S11)  # 53 bits: exact as a float, and a cheap conversion
        x = j * _ZIG_SCALE[i]
        if j < _ZIG_INSIDE[i]:  # inside the layer's rectangle (x < x[i + 1], in integers)
            return sign * x
        bits = splitmix64(bits)
        if i == 0:  # the tail beyond r (Marsaglia 1964)
            while True:
                t = -math.log(uniform_open(bits)) / _ZIG_R
                bits = splitmix64(bits)
                y = -math.log(uniform_open(bits))
                bits = splitmix64(bits)
                if 2 * y > t * t:
                    return sign * (_ZIG_R + t)
        elif _ZIG_F[i + 1] + uniform_open(bits) * (_ZIG_F[i] - _ZIG_F[i + 1]) \
                < math.exp(-x * x / 2):  # inside the wedge under the curve
            return sign * x
        bits = splitmix64(bits)


@register_jitable
def fill_normals(key, start, out):
    """Normals number ``start, start + 1, ...`` of stream ``key`` into the 1-d float64
    ``out``."""
    key = np.uint64(key)
    n = np.uint64(start)
    for j in range(len(out)):
        out[j] = normal(key, n)
        n += _ONE


@njit(cache=True)
def normals(key, start, count):
    """``count`` standard normals: numbers ``start, ...`` of stream ``key`` (a float array)."""
    out = np.empty(count)
    fill_normals(np.uint64(key), np.uint64(start), out)
    return out


@register_jitable
def brownian_values_from(key, start, times, size, first):
    """A Wiener process of ``size`` components at the float ``times`` from ``first`` (its value
    at ``times[0]``), drawn from normals ``start, start + 1, ...`` of stream ``key``:
    ``W[k+1] = W[k] + sqrt(times[k+1] - times[k]) z_k`` with ``z_k`` the next ``size`` normals.
    Returns an array ``(len(times), size)``."""
    steps = len(times) - 1
    z = np.empty(steps * size)
    fill_normals(key, start, z)
    values = np.empty((steps + 1, size))
    values[0] = first
    for k in range(steps):
        scale = math.sqrt(times[k + 1] - times[k])
        for j in range(size):
            values[k + 1, j] = values[k, j] + scale * z[k * size + j]
    return values


@njit(cache=True)
def brownian_grid(key, start, times, size, first):
    """:func:`brownian_values_from`, compiled, for Python callers."""
    return brownian_values_from(np.uint64(key), np.uint64(start), times, size, first)


@register_jitable
def stream_key(root, index):
    """The key of stream ``index`` of the root key ``root`` (``uint64``, scalars or arrays):
    ``splitmix64(root ^ splitmix64(index))``, distinct for distinct indices."""
    return splitmix64(root ^ splitmix64(index))


def stream_keys(root: int, n: int) -> np.ndarray:
    """:func:`stream_key` of streams ``0, ..., n - 1`` (a ``uint64`` array)."""
    return stream_key(np.uint64(root), np.arange(n, dtype=np.uint64))


def seed_key(seed) -> int:
    """The ``uint64`` key of a user's ``seed``: an integer in [0, 2**64) (stream 0 of it), a
    pair ``(seed, index)`` (stream ``index`` of ``seed``: trajectory ``index`` of an ensemble
    seeded with ``seed``), a ``np.random.SeedSequence``, or None (fresh entropy)."""
    if isinstance(seed, tuple):
        if len(seed) != 2:
            raise ValueError(f"a seed pair is (seed, index), got {seed!r}")
        index = np.array([int(seed[1])], dtype=np.uint64)
        return int(stream_key(np.uint64(seed_root(seed[0])), index)[0])
    return int(stream_keys(seed_root(seed), 1)[0])


def seed_root(seed) -> int:
    """The root key of ``seed`` (an integer in [0, 2**64): itself; a ``np.random.SeedSequence``:
    its first generated word; None: fresh entropy); streams are :func:`stream_key` of it."""
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, np.uint64)[0])
    if isinstance(seed, np.random.SeedSequence):
        return int(seed.generate_state(1, np.uint64)[0])
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) \
            and 0 <= int(seed) < 2**64:
        return int(seed)
    raise ValueError(f"seed must be an integer in [0, 2**64), a pair (seed, index), a "
                     f"np.random.SeedSequence or None; got {seed!r}")
