"""What a cleaner is: :class:`Cleaner`, its :class:`Option` declarations and :class:`Change` records.

A cleaner is a small object with a unique ``name``, a one-line ``description``
and a ``clean(text) -> str`` method.  Options are declared as data on the
class and validated when the cleaner is constructed; an instance is immutable,
holds no per-document state and can be pickled, so one instance can serve many
threads and processes.

A complete plugin cleaner::

    from newsclean import Cleaner, Option

    class ShoutingCleaner(Cleaner):
        name = "shouting"
        description = "Lower-case lines written entirely in capitals."
        default_enabled = False
        order = 850
        options = {"min_length": Option(20, "shortest line to touch")}

        def clean(self, text: str) -> str:
            return "\\n".join(
                line.capitalize() if len(line) >= self.min_length and line.isupper() else line
                for line in text.split("\\n")
            )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .errors import OptionError, suggest

__all__ = ["Change", "Cleaner", "Option"]

_MISSING: Any = object()


@dataclass(frozen=True)
class Option:
    """Declaration of one cleaner option.

    ``default`` also fixes the option's type: a value given later must be an
    instance of ``type(default)`` (``int`` is accepted where ``float`` is
    expected; strings ``"true"/"false"/"1"/"0"`` are accepted for booleans and
    numeric strings for numbers, so values from the command line and config
    files work).  ``choices`` restricts the allowed values; ``check`` is an
    extra validator returning an error message or ``None``.
    """

    default: Any
    help: str = ""
    choices: tuple[Any, ...] | None = None
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)

    def coerce(self, cleaner: str, name: str, value: Any) -> Any:
        """Return ``value`` converted to this option's type, or raise :class:`OptionError`."""
        kind = type(self.default)
        where = f"option {cleaner}.{name}"
        if self.default is None or (isinstance(value, kind) and not (kind is int and isinstance(value, bool))):
            result = value
        elif kind is bool and isinstance(value, str) and value.lower() in _BOOL_WORDS:
            result = _BOOL_WORDS[value.lower()]
        elif kind is float and isinstance(value, int) and not isinstance(value, bool):
            result = float(value)
        elif kind in (int, float) and isinstance(value, str):
            try:
                result = kind(value)
            except ValueError:
                raise OptionError(f"{where} expects {kind.__name__}, got {value!r}") from None
        elif kind is tuple and isinstance(value, (list, str)):
            result = tuple(v.strip() for v in value.split(",") if v.strip()) if isinstance(value, str) else tuple(value)
        else:
            raise OptionError(f"{where} expects {kind.__name__}, got {type(value).__name__} {value!r}")
        if self.choices is not None and result not in self.choices:
            raise OptionError(
                f"{where} must be one of {', '.join(repr(c) for c in self.choices)}, got {value!r}"
            )
        if self.check is not None:
            problem = self.check(result)
            if problem:
                raise OptionError(f"{where}: {problem} (got {value!r})")
        return result


_BOOL_WORDS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}


@dataclass(frozen=True)
class Change:
    """One edit a cleaner made, as reported by explain mode.

    ``start`` is the offset of ``removed`` in the text *as the cleaner received
    it*; ``category`` says why (for most cleaners their own name, for
    boilerplate the rule category such as ``"newsletter"``).  ``rule``,
    ``score`` and ``detail`` are optional: they say which rule decided, the
    model's score and a short reason, where a cleaner knows them.
    """

    start: int
    removed: str
    inserted: str
    category: str
    #: the rule that decided, where a cleaner has named rules (boilerplate: the rule's pattern
    #: name, or ``"model"`` when the learned classifier decided); empty otherwise
    rule: str = ""
    #: the classifier's score (probability of boilerplate) when a model decided; ``None`` otherwise
    score: float | None = None
    #: a short human-readable reason (for the model: its strongest features); empty otherwise
    detail: str = ""


def not_str(value: object) -> TypeError:
    """The error for a cleaner whose ``clean()`` returned ``value``, which is not a ``str``."""
    return TypeError(f"clean() returned {type(value).__name__}, not str: {value!r:.60}")


class Cleaner:
    """Base class of every cleaner, built-in or from a plugin.

    Subclasses set the class attributes below and implement :meth:`clean`.

    - ``name``: unique, lower-case public name used in pipelines, config and the CLI.
    - ``description``: one line saying what it changes.
    - ``default_enabled``: whether the default pipeline runs it.
    - ``order``: its place in the default order (lower runs earlier; the
      built-ins use 100, 200, … 900 so plugins can slot in between).
    - ``options``: mapping of option name to :class:`Option`; each becomes an
      attribute of the instance.
    - ``recheck``: set to ``True`` when cleaners that run *later* can create
      work for this one.  Any cleaner that deletes characters joins the text
      around them, so a pattern hidden by a character that ``unicode``
      removes (``<scr\x00ipt>``, a NUL inside a hover card, a soft hyphen
      inside mojibake) appears only after it; removing a trailing
      boilerplate line can expose a truncation stub.  When a cleaner after
      this one changed the text, the pipeline runs this cleaner again on the
      result and, if that changes anything, the cleaners after it once more,
      so that the whole pipeline stays idempotent.  Keep the cleaner's
      no-work check cheap: it may run once more per document.
    - ``examples``: ``(input, expected output)`` pairs with the default
      options (they also document the cleaner).  The test kit
      (:func:`newsclean.testing.check_cleaner`) checks them and builds its
      test inputs from them (repeated, combined, fed back), so a cleaner's
      own patterns get exercised.

    Instances are immutable after construction: derive state from the options
    in :meth:`setup` and store it with :meth:`set_derived`.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    default_enabled: ClassVar[bool] = True
    order: ClassVar[int] = 500
    options: ClassVar[Mapping[str, Option]] = {}
    recheck: ClassVar[bool] = False
    examples: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(self, **options: Any) -> None:
        self.check_option_names(options)
        for key, spec in self.options.items():
            value = spec.default if key not in options else spec.coerce(self.name, key, options[key])
            object.__setattr__(self, key, value)
        self.setup()

    @classmethod
    def check_option_names(cls, options: Mapping[str, Any]) -> None:
        """Raise :class:`OptionError` for a name in ``options`` that this cleaner does not declare."""
        unknown = sorted(set(options) - set(cls.options))
        if unknown:
            valid = ", ".join(sorted(cls.options)) or "(this cleaner has no options)"
            raise OptionError(
                f"unknown option {unknown[0]!r} for cleaner {cls.name!r}"
                f"{suggest(unknown[0], cls.options)}; valid options: {valid}"
            )

    def setup(self) -> None:
        """Prepare derived state (compiled patterns, tables) from the validated options.

        Called once at the end of ``__init__``; the default does nothing.
        Store results with :meth:`set_derived` (plain assignment raises:
        instances are immutable).
        """

    def set_derived(self, name: str, value: Any) -> None:
        """Store ``value`` as attribute ``name``: state derived from the options, set in :meth:`setup`.

        Never call it while cleaning: instances are shared between threads and
        must keep no per-document state.
        """
        object.__setattr__(self, name, value)

    _set = set_derived  # the name before 0.1.0; kept so existing cleaners keep working

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; set options when constructing it")

    def __delattr__(self, key: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    def config(self) -> dict[str, Any]:
        """The option values of this instance, as a new dict."""
        return {key: getattr(self, key) for key in self.options}

    @classmethod
    def build(cls, options: Mapping[str, Any], rules: Sequence[Any] = ()) -> Cleaner:
        """Construct the cleaner for a pipeline.

        ``rules`` are the boilerplate rules every plugin contributed; cleaners
        that use rules override this to receive them.  The default ignores them.
        """
        return cls(**options)

    def clean(self, text: str) -> str:
        """Return the cleaned text.  Must not raise on any ``str`` and must be idempotent."""
        raise NotImplementedError(f"cleaner {self.name!r} does not implement clean()")

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """Return the cleaned text and the changes made, positioned in ``text``.

        The default runs :meth:`clean` and derives the changes with a diff
        (:func:`newsclean.diffing.diff_changes`, coarser: no reasons, and a long
        rewritten stretch may be one change).  Cleaners that know what they
        changed and why override this: return exactly what :meth:`clean` returns
        and the :class:`Change` records, sorted by ``start``, not overlapping,
        none empty, that turn ``text`` into it.  Explain mode, tracing, ``--diff``
        and ``--stats`` use it; plain cleaning never calls it.
        """
        from .diffing import diff_changes

        result = self.clean(text)
        if not isinstance(result, str):
            raise not_str(result)
        return result, diff_changes(text, result, self.name)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.config.items() if v != self.options[k].default}
        args = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"<cleaner {self.name}{' ' + args if args else ''}>"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.config == self.config  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.name))

    def __getstate__(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
