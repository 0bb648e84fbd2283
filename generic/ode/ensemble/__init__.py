"""Ensembles: one problem over many initial values or parameters, solved serially, in
compiled threads, as one batched array problem (NumPy, CuPy) or on a Dask cluster."""

from .modes import EnsembleBatched, EnsembleDask, EnsembleSerial, EnsembleThreads
from .problem import EnsembleProblem
from .solution import EnsembleSolution

__all__ = ["EnsembleProblem", "EnsembleSolution", "EnsembleSerial", "EnsembleThreads",
           "EnsembleBatched", "EnsembleDask"]
