"""gitignore patterns as git reads them, each compiled to a regex of one entry's path.

pathspec translates a line (anchoring, `**`, escapes). Around it, this module makes git's
reading where pathspec's differs, as a comparison with `git ls-files` found:
- names and patterns are matched byte by byte (`?` is one byte of a UTF-8 name);
- only unescaped trailing spaces go (pathspec also drops tabs, and refuses `x\\  `);
- bracket expressions are translated here: escapes inside them, POSIX classes, and
  never a `/` (pathspec reads `[\\]]` as a backslash, and lets `[!a]` match `/`);
- `dir/**/` means the folders inside dir, `dir/**` what is inside dir (not dir);
- a match ends with the entry itself: pathspec's also matches what is below a matching
  folder, which git never looks at (the folder is not entered);
- a name may hold a newline;
- `***` between slashes is `**`, a "/" inside brackets anchors the line as any "/"
  does, `\\/` is a "/", and an escaped trailing tab is kept (pathspec differs in each);
- a line with many wildcards matches in polynomial time (_without_backtracking), where
  pathspec's regex takes exponential time (`*a*a*a*a*a*b` on a name of 40 `a`s: minutes).
  Git's own matcher gives up early for the same reason: a .gitignore is hostile input,
  and so the translation of a line takes time linear in its length too.
"""

from __future__ import annotations

import os
import re

# POSIX classes git knows inside [...], as ranges (bytes: ASCII, as in the C locale).
_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "lower": "a-z",
    "upper": "A-Z",
    "xdigit": "0-9a-fA-F",
    "blank": " \t",
    "space": " \t\n\r\f\v",
}
# Characters beyond a byte stand in for brackets while pathspec translates (a line is
# one character a byte: bytewise), as many as a line may hold.
_PLACE = 0x10000
_PLACES = 0x110000 - _PLACE


def entry_name(path: str, is_dir: bool) -> str:
    """The text a pattern is matched against: "/"-separated, a folder with a final "/"."""
    return bytewise(path.replace(os.sep, "/")) + ("/" if is_dir else "")


def bytewise(text: str) -> str:
    """One character per byte, as git sees names and patterns."""
    return os.fsencode(text).decode("latin-1")


def compile_line(line: str) -> tuple[bool, re.Pattern[str]] | None:
    """(excludes, regex) of one pattern line; None for a comment or a blank line.
    ValueError (or re.error) for a line git would not accept either."""
    # Imported when patterns are used (as xxhash and blake3 are when hashing): a copy
    # without them needs only the standard library, e.g. a system Python run as nobody.
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    text, brackets, slashed = _brackets_set_aside(_trailing_as_git_reads(bytewise(line)))
    text = _STARS.sub("**", text)  # (git reads `***` between slashes as `**`)
    if slashed:
        text = _anchored(text)
    if text.endswith("/**/"):
        text += "*/"
    elif text.endswith("/**"):
        text += "/?*"
    pattern = GitIgnoreSpecPattern(text)
    if pattern.include is None or pattern.regex is None:
        return None
    regex = re.sub(r"(?<!\\)\$", r"\\Z", _without_backtracking(pattern.regex.pattern))
    regex += r"\Z"  # ($ ends before \n)
    regex = regex.translate({_PLACE + index: part for index, part in enumerate(brackets)})
    return pattern.include, re.compile(regex, re.DOTALL)


def _trailing_as_git_reads(line: str) -> str:
    """Unescaped trailing spaces go; other trailing white space stays (the last as
    [\\t], which pathspec then strips no more of; its escape dropped: `x\\<tab>` is x
    and a tab, as git reads it)."""
    end = len(line)
    while end and line[end - 1] == " " and not _escaped(line, end - 1):
        end -= 1
    last = end - 1
    if last < 0 or not line[last].isspace() or line[last] == " ":
        return line[:end]
    return line[: last - 1 if _escaped(line, last) else last] + f"[{line[last]}]"


def _escaped(line: str, index: int) -> bool:
    """Whether the character at `index` follows an odd run of backslashes, counted back
    from it (a line of many spaces took quadratic time)."""
    backslashes = 0
    while backslashes < index and line[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _brackets_set_aside(line: str) -> tuple[str, list[str], bool]:
    """The line with each bracket expression replaced by a stand-in character, the
    regex of each, and whether one held a "/" (which anchors a line in git, as any "/"
    but the last does). An escaped "/" is one (pathspec refuses `\\/`)."""
    out: list[str] = []
    brackets: list[str] = []
    slashed = False
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\" and line[index + 1 : index + 2] == "/":
            # (git reads one first, last or after ** otherwise: those are refused)
            first = index == 0 or (index == 1 and line[0] == "!")
            if first or index + 2 == len(line) or out[-2:] == ["*", "*"]:
                raise ValueError("an escaped / may stand only inside a pattern")
            out.append("/")
            index += 2
        elif char == "\\" and index + 1 < len(line):
            out.append(line[index : index + 2])
            index += 2
        elif char == "[":
            start = index
            expression, index = _bracket(line, index)
            slashed = slashed or "/" in line[start:index]
            if len(brackets) == _PLACES:
                raise ValueError(f"more than {_PLACES} bracket expressions in one line")
            out.append(chr(_PLACE + len(brackets)))
            brackets.append(expression)
        else:
            out.append(char)
            index += 1
    return "".join(out), brackets, slashed


# A run of three or more stars that is a whole path part.
_STARS = re.compile(r"(?<![^/])\*{3,}(?![^/])")


def _anchored(text: str) -> str:
    """The line anchored to its folder, as a "/" inside it anchors it (one set aside in
    a bracket expression, here); a line anchored already, or by another "/", as it is."""
    body = text[1:] if text.startswith("!") else text
    if "/" in body.rstrip("/"):
        return text
    return ("!/" + body) if text.startswith("!") else "/" + text


def _bracket(line: str, start: int) -> tuple[str, int]:
    """The regex of the bracket expression at `start`, and the index after it."""
    index = start + 1
    negated = line[index : index + 1] in ("!", "^")
    index += negated
    parts: list[str] = []
    first = True
    while index < len(line):
        if line[index] == "]" and not first:
            body = "".join(parts)
            if negated:
                return f"[^/{body}]", index + 1
            return (f"(?!/)[{body}]" if body else "(?!)"), index + 1
        first = False
        if line.startswith("[:", index) and (end := line.find(":]", index + 2)) > 0:
            name = line[index + 2 : end]
            if name not in _CLASSES:
                shown = name if len(name) <= 20 else name[:20] + "..."
                raise ValueError(f"the class [:{shown}:] is not supported")
            parts.append(_CLASSES[name])
            index = end + 2
            continue
        low, index = _bracket_char(line, index)
        if line[index : index + 1] == "-" and line[index + 1 : index + 2] not in ("", "]"):
            high, index = _bracket_char(line, index + 1)
            # Git matches the first character before it looks at the range: a reversed
            # range ([z-a]) matches that character alone.
            reversed_ = low > high
            parts.append(re.escape(low) if reversed_ else f"{re.escape(low)}-{re.escape(high)}")
        else:
            parts.append(re.escape(low))
    raise ValueError("a [ without its ]")


def _bracket_char(line: str, index: int) -> tuple[str, int]:
    if line[index] == "\\" and index + 1 < len(line):
        return line[index + 1], index + 2
    return line[index], index + 1


# The unbounded parts of pathspec's regex: `*`, and `**` first and inside a line.
_STAR, _FIRST_STARS, _INNER_STARS = "[^/]*", "^(?:.+/)?", "(?:/.+)?"
_EARLIEST = {_STAR: "[^/]*?", _FIRST_STARS: "^(?:.+?/)??", _INNER_STARS: "(?:/.+?)??"}
_PIECES = (*_EARLIEST, "[^/]")  # ("[^/]" is `?`: its "/" ends no name)


def _without_backtracking(regex: str) -> str:
    """pathspec's regex of a line, each wildcard but the last of its kind taking the
    earliest match of what follows it, for good (an atomic group): `*` up to the next `*`
    in its name, `**` up to the next `**`. The same names match: what a later wildcard
    would have let an earlier one take, it takes itself. Backtracking then grows with a
    name's length, not with a power of it."""
    tokens = _earliest(_tokens(regex), {_STAR}, ends={"/", _INNER_STARS}, ahead="")
    return "".join(_earliest(tokens, {_FIRST_STARS, _INNER_STARS}, ends=set(), ahead="(?=/)"))


def _tokens(regex: str) -> list[str]:
    """The regex in pieces: a wildcard, `?`, an escape, or one character."""
    tokens: list[str] = []
    index = 0
    while index < len(regex):
        size = next((len(piece) for piece in _PIECES if regex.startswith(piece, index)), 0)
        size = size or (2 if regex[index] == "\\" else 1)
        tokens.append(regex[index : index + size])
        index += size
    return tokens


def _earliest(tokens: list[str], wildcards: set[str], ends: set[str], ahead: str) -> list[str]:
    """Each of `wildcards` followed by another before any of `ends`: lazy, and atomic
    with what lies between the two, which must be followed by `ahead`."""
    out: list[str] = []
    stops = wildcards | ends
    index = 0
    while index < len(tokens):
        if tokens[index] in wildcards:  # (only then look ahead: else a long line of
            following = index + 1  # literals took quadratic time, minutes at 20,000)
            while following < len(tokens) and tokens[following] not in stops:
                following += 1
            if following < len(tokens) and tokens[following] in wildcards:
                between = "".join(tokens[index + 1 : following])
                out.append(f"(?>{_EARLIEST[tokens[index]]}{between}{ahead})")
                index = following
                continue
        out.append(tokens[index])
        index += 1
    return out
