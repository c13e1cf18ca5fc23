"""Behaviour rules, one module per mechanism (ODD §7).

Each function is written once and accepts numpy scalars or arrays, so the agent executor (one
resident at a time) and the vector executor (all residents at once) evaluate the very same
floating-point expressions. Each docstring names its ODD section and literature source.
"""
