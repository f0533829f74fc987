"""html: decode HTML entities and remove leftover HTML tags.

Changes:

- character references are decoded: named ones (``&amp;``, ``&nbsp;``,
  ``&eacute;``, ``&QUOT;`` — the HTML5 list), decimal (``&#8217;``) and
  hexadecimal (``&#x2019;``) ones, following the HTML5 rules for invalid
  numbers (``&#150;`` → ``–``, ``&#0;`` → ``�``).  A reference must end with
  ``;``: ``AT&T``, ``R&D``, ``?a=1&copy=2`` and ``Barnes&noble`` stay as they
  are.  ``&nbsp;`` becomes U+00A0 (the ``unicode`` cleaner turns that into a
  space).
- escaping is undone completely, however often it was applied:
  ``&amp;quot;`` → ``"``, ``&amp;amp;amp;`` → ``&``, ``&amp;lt;p&amp;gt;`` →
  ``<p>`` (then removed as a tag, below);
- tags are removed: ``<b>``, ``</a>``, ``<p class="lead">``, ``<img
  src="x.jpg" />``, ``<!-- ad slot -->``, ``<!DOCTYPE html>``.  A tag is
  ``<`` or ``</`` immediately followed by a *known* HTML tag name (``p``,
  ``div``, ``span``, ``a``, ``br``, …, any case), then ``>`` or ``/>``, or
  whitespace and attributes of which at least one has an ``=``, and no ``<``
  or ``>`` inside.  Block-level tags (``<p>``, ``</p>``, ``<br>``, ``<div>``,
  ``<li>``, ``<h2>``, ``<tr>``, …) become a line break so that words are not
  glued together; table cells become a space; inline tags (``<a>``,
  ``<span>``, ``<b>``, ``<img>``, …) disappear.  The ``whitespace`` cleaner
  later tidies the extra line breaks;
- ``<script>…</script>`` and ``<style>…</style>`` blocks are removed with
  their content (a block without its closing tag loses only the opening tag).

Tags written as entities (``&lt;b&gt;``) are decoded first and then removed
like literal tags: escaped markup in feeds is markup, not prose.

Never touches: text that is not a tag — ``a < b``, ``x<y``, ``<3``,
``5 <= 6``, ``<<quoted>>``, ``<jane@example.com>``, ``<Name>`` (not an HTML
tag name), ``<a and b>`` (no ``=``); ampersands that do not start a complete
reference (``Q&A``, ``&c.``), references with unknown names (``&foo;``).

Example: ``"Prices rose&nbsp;3%.<br>The CEO&#8217;s <b>plan</b>"`` →
``"Prices rose\\u00a03%.\\nThe CEO’s plan"``.

Idempotent by construction: the result never contains a decodable reference
or a tag.  One pass decodes all references (with any number of ``&amp;``
layers) and then removes tags; in the rare case that this creates a new
reference or tag (``&amp;&#108;t;`` gives ``&lt;``, ``<<b>p>`` gives ``<p>``)
a slower left-to-right pass that re-examines its own output finishes the job.
Both passes are linear in the length of the text.

Fast path: text without ``&`` and ``<`` is returned as it is.

Explain mode reports each decoded reference (category ``entity``), removed or
replaced tag (``tag``) and removed script or style block (``script``) where it
is; where one pass's output feeds the next (``&lt;b&gt;`` decoded, then removed
as a tag) the two are one change.  The rare second pass (see above) is located
with a character diff of its input and output.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from html.entities import html5

from ..changes import apply_changes, compose_passes, replace_spans
from ..cleaner import Change, Cleaner
from ..diffing import diff_changes

__all__ = ["HtmlCleaner"]

_BLOCK_TAGS = frozenset(
    """address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe legend
    li link main menu meta nav noscript ol option p pre section summary table tbody template tfoot thead
    title tr ul""".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_INLINE_TAGS = frozenset(
    """a abbr acronym amp-img audio b base basefont bdi bdo big button canvas cite code col colgroup data
    datalist del dfn em embed font i img input ins kbd label map mark meter object optgroup output param
    picture progress q rp rt ruby s samp select small source span strike strong sub sup svg textarea time
    track tt u var video wbr""".split()
)
_KNOWN_TAGS = _BLOCK_TAGS | _CELL_TAGS | _INLINE_TAGS | {"script", "style"}

# A tag: "<", an optional "/", a name, then ">" or "/>", or whitespace and
# attributes containing an "=".  Nothing inside may be "<" or ">".  Comments and
# declarations are tags too, as long as they contain no "<" or ">".
_TAG_SRC = (
    r"<(/?)([A-Za-z][A-Za-z0-9-]{0,15})(?:\s*/?|\s(?=[^<>]*=)[^<>]*)>"
    r"|<!--[^<>]*?-->|<![A-Za-z][^<>]*>"
)
_TAG = re.compile(_TAG_SRC)

# A character reference and any number of "&amp;" layers in front of it.
_AMP = r"(?:amp|AMP|#0{0,6}38|#[xX]0{0,5}26);"
_BODY = r"#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{0,31}"
_REFERENCE = re.compile(rf"&(?:{_AMP})*({_BODY});")
_SINGLE_REFERENCE = re.compile(rf"&({_BODY});")

_SCRIPT_OPEN = re.compile(r"<(script|style)(?:\s*/?|\s(?=[^<>]*=)[^<>]*)>", re.IGNORECASE)


def _decode_body(body: str) -> str | None:
    """The text a reference body (between ``&`` and ``;``) stands for, or ``None`` if unknown."""
    if body[0] == "#":
        return html.unescape(f"&{body};")
    return html5.get(body + ";")


def _replace_reference(match: re.Match[str]) -> str:
    body = match.group(1)
    decoded = _decode_body(body)
    return f"&{body};" if decoded is None else decoded


def _tag_replacement(match: re.Match[str]) -> str | None:
    """What a tag match becomes, or ``None`` if it is not a tag of a known name."""
    name = match.group(2)
    if name is None:  # comment or declaration
        return ""
    name = name.lower()
    if name in _BLOCK_TAGS:
        return "\n"
    if name in _CELL_TAGS:
        return " "
    if name in _KNOWN_TAGS:
        return ""
    return None


def _replace_tag(match: re.Match[str]) -> str:
    replacement = _tag_replacement(match)
    return match.group() if replacement is None else replacement


def _has_work(text: str) -> bool:
    """Whether ``text`` contains a decodable reference or a tag."""
    if "&" in text:
        for match in _SINGLE_REFERENCE.finditer(text):
            if _decode_body(match.group(1)) is not None:
                return True
    if "<" in text:
        for match in _TAG.finditer(text):
            if _tag_replacement(match) is not None:
                return True
    return False


def _remove_scripts(text: str) -> str:
    """Remove ``<script>``/``<style>`` blocks with their content (each becomes a line break)."""
    return replace_spans(text, _script_spans(text), "\n")


def _script_spans(text: str) -> list[tuple[int, int]]:
    """The ``<script>``/``<style>`` blocks of ``text``, in order (linear: each search starts further on)."""
    lower = text.lower()
    spans = []
    pos = 0
    while True:
        match = _SCRIPT_OPEN.search(text, pos)
        if match is None:
            break
        close = lower.find("</" + match.group(1).lower(), match.end())
        if close < 0:
            break
        end = lower.find(">", close)
        if end < 0:
            break
        spans.append((match.start(), end + 1))
        pos = end + 1
    return spans


def _rescan(text: str) -> str:
    """Decode references and remove tags left to right, re-examining what was produced.

    The output is built as a list of characters.  A reference can only end
    at a ``;`` and start at the nearest ``&`` before it (with no ``;`` in
    between); a tag can only end at a ``>`` and start at the nearest ``<``
    before it (with no ``>`` in between).  So whenever a ``;`` or ``>`` is
    appended, that one candidate is checked; if it is a reference or tag it
    is cut off and its replacement is fed through the same process.  Hence no
    reference or tag survives: each one present at the end was the candidate
    when its last character was appended.  Every candidate start is checked at
    most once (afterwards a ``;`` or ``>`` lies between it and any later
    end), so the work is linear in the length of the text.
    """
    out: list[str] = []
    amp_marks: list[int] = []  # positions in ``out`` of every "&" and ";"
    tag_marks: list[int] = []  # positions in ``out`` of every "<" and ">"
    pending = list(reversed(text))
    while pending:
        ch = pending.pop()
        out.append(ch)
        if ch == "&":
            amp_marks.append(len(out) - 1)
        elif ch == "<":
            tag_marks.append(len(out) - 1)
        elif ch == ";":
            amp_marks.append(len(out) - 1)
            if len(amp_marks) >= 2:
                start = amp_marks[-2]
                if out[start] == "&" and len(out) - start <= 48:
                    match = _SINGLE_REFERENCE.fullmatch("".join(out[start:]))
                    decoded = _decode_body(match.group(1)) if match else None
                    if decoded is not None:
                        _truncate(out, amp_marks, tag_marks, start)
                        pending.extend(reversed(decoded))
        elif ch == ">":
            tag_marks.append(len(out) - 1)
            if len(tag_marks) >= 2:
                start = tag_marks[-2]
                if out[start] == "<":
                    match = _TAG.fullmatch("".join(out[start:]))
                    replacement = _tag_replacement(match) if match else None
                    if replacement is not None:
                        _truncate(out, amp_marks, tag_marks, start)
                        pending.extend(reversed(replacement))
    return "".join(out)


def _truncate(out: list[str], amp_marks: list[int], tag_marks: list[int], start: int) -> None:
    del out[start:]
    while amp_marks and amp_marks[-1] >= start:
        amp_marks.pop()
    while tag_marks and tag_marks[-1] >= start:
        tag_marks.pop()


class HtmlCleaner(Cleaner):
    name = "html"
    description = "Decode HTML entities (also double-escaped ones) and remove HTML tags, comments and script blocks."
    order = 100
    recheck = True  # removing an invisible character later (unicode) can complete a tag or reference
    options = {}

    def clean(self, text: str) -> str:
        if "&" not in text and "<" not in text:
            return text
        result = text
        if "<" in result:
            result = _remove_scripts(result)
        if "&" in result:
            result = _REFERENCE.sub(_replace_reference, result)
        if "<" in result:
            result = _TAG.sub(_replace_tag, result)
        if ("&" in result or "<" in result) and _has_work(result):
            result = _rescan(result)
        return text if result == text else result

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """The same result as :meth:`clean`, pass by pass, each pass's changes found where they are."""
        if "&" not in text and "<" not in text:
            return text, []
        passes = []
        result = text
        if "<" in result:
            changes = [Change(start, result[start:end], "\n", "script") for start, end in _script_spans(result)]
            result = apply_changes(result, changes)
            passes.append((result, changes))
        if "&" in result:
            changes = []
            for match in _REFERENCE.finditer(result):
                decoded = _decode_body(match.group(1))
                if decoded is not None:
                    changes.append(Change(match.start(), match.group(), decoded, "entity"))
            result = apply_changes(result, changes)
            passes.append((result, changes))
        if "<" in result:
            changes = []
            for match in _TAG.finditer(result):
                replacement = _tag_replacement(match)
                if replacement is not None:
                    changes.append(Change(match.start(), match.group(), replacement, "tag"))
            result = apply_changes(result, changes)
            passes.append((result, changes))
        if ("&" in result or "<" in result) and _has_work(result):
            again = _rescan(result)
            passes.append((again, [
                replace(c, category="tag" if "<" in c.removed or ">" in c.removed else "entity")
                for c in diff_changes(result, again, "entity")
            ]))
        result, changes = compose_passes(text, passes)
        return (text, []) if result == text else (result, changes)
