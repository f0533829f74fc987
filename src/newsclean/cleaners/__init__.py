"""The built-in cleaners, one module each.

Each module defines one :class:`newsclean.Cleaner` subclass whose docstring
says what it changes, what it never touches, and gives an example.
"""
