"""jixiao (绩效): offline quality review of Chinese budget performance-goal forms."""

__version__ = "0.1.0"

from jixiao.errors import InputError, JixiaoError  # noqa: E402
from jixiao.model import Form, Funds, Indicator, Period, Source, Value  # noqa: E402

__all__ = ["Form", "Funds", "Indicator", "Period", "Source", "Value", "InputError", "JixiaoError", "__version__"]
