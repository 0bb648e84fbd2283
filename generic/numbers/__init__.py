"""Floor 3: number types. One module per type, holding the type and all of its methods."""

from .dual import *  # noqa: F403
from .dual import __all__ as _dual_names
from .measurement import *  # noqa: F403
from .measurement import __all__ as _measurement_names

__all__ = [*_dual_names, *_measurement_names]
