"""Small reusable widgets: a QPainter bar chart, a debounced search field."""

from .bar_chart import BarChart, BarGroup
from .search_edit import SearchLineEdit

__all__ = ["BarChart", "BarGroup", "SearchLineEdit"]
