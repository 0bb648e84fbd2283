"""Forward-mode derivatives with dual numbers: derivative, gradient, jacobian, hessian, nesting.

    python examples/derivatives.py

Every function below is plain Python over generic functions (g.sin, g.exp, ...), NumPy ufuncs and
operators; the same code runs on floats, and on duals when differentiated. See docs/duals.md.
"""

from __future__ import annotations

import mpmath
import numpy as np

import generic as g


def main() -> None:
    np.set_printoptions(precision=6, suppress=True)

    # d/dx sin(x) exp(x) at 0.5: cos(x) exp(x) + sin(x) exp(x)
    print("derivative :", g.derivative(lambda x: g.sin(x) * g.exp(x), 0.5))

    # gradient of the Rosenbrock function at (1.5, 2): an array shaped like x
    def rosenbrock(x):
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

    print("gradient   :", g.gradient(rosenbrock, np.array([1.5, 2.0])))

    # Jacobian of a map R^3 -> R^2 that closes over a matrix; NumPy ufuncs work on duals
    A = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
    print("jacobian   :\n", g.jacobian(lambda x: A @ np.sin(x), np.array([0.1, 0.2, 0.3])))

    # Hessian by forward over forward; exact for polynomials
    print("hessian    :\n", g.hessian(rosenbrock, np.array([1.5, 2.0])))

    # nested derivatives keep their perturbations apart: d/dx [x * d/dy (x + y)] = 1
    print("nested     :", g.derivative(lambda x: x * g.derivative(lambda y: x + y, 1.0), 1.0))
    third = g.derivative(lambda x: g.derivative(lambda y: g.derivative(g.exp, y), x), 0.0)
    print("d3/dx3 exp :", third)

    # the value type is kept: float32 in, float32 out; mpmath at 40 digits stays at 40 digits
    print("float32    :", repr(g.derivative(g.tanh, np.float32(0.5))))
    with mpmath.workdps(40):
        print("mpmath 40  :", g.derivative(lambda x: g.exp(g.sin(x)), mpmath.mpf(1) / 3))

    # chunked gradients evaluate f several times with fewer partials each; same result
    x = np.linspace(0.1, 1.0, 10)
    full, chunked = g.gradient(lambda v: g.sin(v).sum() * v[0], x), g.gradient(
        lambda v: g.sin(v).sum() * v[0], x, chunk=3)
    print("chunked    :", np.array_equal(full, chunked))


if __name__ == "__main__":
    main()
