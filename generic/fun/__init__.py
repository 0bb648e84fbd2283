"""Floor 3: Chebyshev and Fourier function types (``g.Fun``)."""

__all__: list[str] = []
