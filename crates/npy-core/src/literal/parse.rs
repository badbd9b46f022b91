//! A bounded parser for the Python-literal subset used in `.npy` headers.
//!
//! The grammar follows what `ast.literal_eval` accepts (CPython 3.11), restricted to
//! dicts, tuples, lists, `str`, `int`, `True`, `False` and `None`. The lexer works on the
//! raw text the way CPython's tokenizer does: `\r\n` and lone `\r` are newlines, newlines
//! inside brackets are whitespace, a newline outside brackets ends the expression,
//! `#` starts a comment and a backslash directly before a newline joins lines.
//!
//! The parser is a shift-reduce loop over an explicit stack, so its native stack use does
//! not depend on the input, and the stack is capped by [`ParseOptions::max_depth`]. Every
//! byte of input is looked at a bounded number of times, so parsing is linear-time.
//!
//! Intentional divergences from `ast.literal_eval` (all of them about inputs no `.npy`
//! writer produces):
//!
//! * Accepted here, rejected by Python: indentation of the first line when it follows a
//!   blank line (`"\n  {}"`, Python: "unexpected indent"), and a last line made only of
//!   spaces or tabs with no newline after it (`"{}\n  "`). Surrounding whitespace of any
//!   form is simply skipped.
//! * Accepted by Python, rejected here: floats, complex numbers, bytes, sets, `...`,
//!   f-strings, `\N{...}` named escapes, lone surrogates (`'\ud800'`, which a Rust
//!   `String` cannot hold, also when two escapes would form a pair: Python never joins
//!   them) and integers outside `i128`.
//! * The Python 2 `L` suffix (only with [`ParseOptions::allow_long_suffix`]) must follow
//!   the digits directly and may be `L` or `l`. NumPy's `_filter_header` strips only an
//!   upper-case `L`, but also one separated from the number by spaces (`2 L`).

use super::Value;
use crate::error::{Error, ErrorKind, Result};

/// Limits and dialect switches for [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptions {
    /// Maximum nesting of brackets: tuples, lists, dicts and grouping parentheses all count.
    /// Deeper input is rejected with [`ErrorKind::HeaderTooLarge`].
    ///
    /// The parser itself never recurses, but the returned [`Value`] nests this deep, and
    /// dropping, comparing or printing a `Value` recurses; keep the limit modest.
    pub max_depth: usize,
    /// Accept a Python 2 long suffix (`2L`) directly after an integer literal, as NumPy does
    /// for format versions 1.0 and 2.0.
    pub allow_long_suffix: bool,
}

impl Default for ParseOptions {
    /// `max_depth` 64, `allow_long_suffix` off.
    fn default() -> Self {
        ParseOptions {
            max_depth: 64,
            allow_long_suffix: false,
        }
    }
}

/// Parses `text` as exactly one Python literal expression, as `ast.literal_eval` would.
///
/// Accepts dicts, tuples (also `()`, `(x,)` and a bare top-level `1, 2`), lists, strings
/// (all quote forms, `u`/`r` prefixes, escapes, implicit concatenation), integers (decimal,
/// hex, octal, binary, underscores, one unary `+` or `-`), `True`, `False` and `None`,
/// with comments, line continuations, trailing commas and any whitespace.
///
/// # Errors
///
/// [`ErrorKind::HeaderSyntax`] for anything else, with the byte offset in `text` where the
/// problem was found; [`ErrorKind::HeaderTooLarge`] when brackets nest deeper than
/// [`ParseOptions::max_depth`].
pub fn parse(text: &str, options: &ParseOptions) -> Result<Value> {
    if let Some(pos) = text.bytes().position(|b| b == 0) {
        return Err(syntax(pos, "header text contains a NUL character"));
    }
    Parser {
        lexer: Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            bracket_depth: 0,
            allow_long_suffix: options.allow_long_suffix,
        },
        peeked: None,
        max_depth: options.max_depth,
    }
    .run()
}

fn syntax(offset: usize, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::HeaderSyntax, message).at(offset as u64)
}

// ---------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
enum Tok {
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Plus,
    Minus,
    /// A newline outside all brackets (a logical line end).
    Newline,
    End,
    Str(String),
    /// The magnitude of an integer literal; the sign is applied by the parser.
    Int(u128),
    True,
    False,
    None,
}

impl Tok {
    fn describe(&self) -> &'static str {
        match self {
            Tok::LParen => "'('",
            Tok::RParen => "')'",
            Tok::LBracket => "'['",
            Tok::RBracket => "']'",
            Tok::LBrace => "'{'",
            Tok::RBrace => "'}'",
            Tok::Comma => "','",
            Tok::Colon => "':'",
            Tok::Plus => "'+'",
            Tok::Minus => "'-'",
            Tok::Newline => "a newline outside brackets",
            Tok::End => "the end of the header",
            Tok::Str(_) => "a string",
            Tok::Int(_) => "an integer",
            Tok::True => "True",
            Tok::False => "False",
            Tok::None => "None",
        }
    }
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Open brackets seen by the lexer; newlines are insignificant while it is non-zero.
    bracket_depth: usize,
    allow_long_suffix: bool,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphanumeric())
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
}

impl Lexer<'_> {
    fn byte_at(&self, pos: usize) -> Option<u8> {
        self.bytes.get(pos).copied()
    }

    /// The char starting at `pos` (always a char boundary here).
    fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(pos..).and_then(|rest| rest.chars().next())
    }

    /// Length of the newline sequence at `pos` (`\n`, `\r\n` or `\r`), or 0.
    fn newline_len(&self, pos: usize) -> usize {
        match self.byte_at(pos) {
            Some(b'\n') => 1,
            Some(b'\r') if self.byte_at(pos + 1) == Some(b'\n') => 2,
            Some(b'\r') => 1,
            _ => 0,
        }
    }

    /// Skips whitespace, comments and line continuations; returns a `Newline` token when a
    /// newline outside brackets is met.
    fn skip_trivia(&mut self) -> Result<Option<(Tok, usize)>> {
        loop {
            match self.byte_at(self.pos) {
                Some(b' ' | b'\t' | b'\x0c') => self.pos += 1,
                Some(b'#') => {
                    while let Some(b) = self.byte_at(self.pos) {
                        if b == b'\n' || b == b'\r' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'\\') => {
                    let nl = self.newline_len(self.pos + 1);
                    if nl == 0 {
                        return Err(syntax(
                            self.pos,
                            "unexpected character after line continuation character",
                        ));
                    }
                    self.pos += 1 + nl;
                    if self.pos >= self.bytes.len() {
                        return Err(syntax(
                            self.pos,
                            "unexpected end of header after line continuation",
                        ));
                    }
                }
                Some(b'\n' | b'\r') => {
                    let start = self.pos;
                    self.pos += self.newline_len(self.pos);
                    if self.bracket_depth == 0 {
                        return Ok(Some((Tok::Newline, start)));
                    }
                }
                _ => return Ok(None),
            }
        }
    }

    /// Returns the next token and its byte offset.
    fn next(&mut self) -> Result<(Tok, usize)> {
        if let Some(tok) = self.skip_trivia()? {
            return Ok(tok);
        }
        let start = self.pos;
        let Some(c) = self.char_at(start) else {
            return Ok((Tok::End, start));
        };
        let single = |lexer: &mut Self, tok: Tok| {
            lexer.pos += 1;
            Ok((tok, start))
        };
        match c {
            '(' | '[' | '{' => {
                self.bracket_depth += 1;
                let tok = match c {
                    '(' => Tok::LParen,
                    '[' => Tok::LBracket,
                    _ => Tok::LBrace,
                };
                single(self, tok)
            }
            ')' | ']' | '}' => {
                self.bracket_depth = self.bracket_depth.saturating_sub(1);
                let tok = match c {
                    ')' => Tok::RParen,
                    ']' => Tok::RBracket,
                    _ => Tok::RBrace,
                };
                single(self, tok)
            }
            ',' => single(self, Tok::Comma),
            ':' => single(self, Tok::Colon),
            '+' => single(self, Tok::Plus),
            '-' => single(self, Tok::Minus),
            '\'' | '"' => {
                let s = self.string(start, false)?;
                Ok((Tok::Str(s), start))
            }
            '0'..='9' => {
                let n = self.number(start)?;
                Ok((Tok::Int(n), start))
            }
            '.' => {
                if self.bytes.get(start..start + 3) == Some(b"...") {
                    Err(syntax(start, "Ellipsis ('...') is not supported"))
                } else if self.byte_at(start + 1).is_some_and(|b| b.is_ascii_digit()) {
                    Err(syntax(start, "floating-point numbers are not supported"))
                } else {
                    Err(syntax(start, "unexpected character '.'"))
                }
            }
            c if is_ident_start(c) => self.name_or_prefixed_string(start),
            c if c.is_ascii_graphic() => Err(syntax(start, format!("unexpected character '{c}'"))),
            c => Err(syntax(
                start,
                format!("unexpected character U+{:04X}", u32::from(c)),
            )),
        }
    }

    fn name_or_prefixed_string(&mut self, start: usize) -> Result<(Tok, usize)> {
        let mut end = start;
        while let Some(c) = self.char_at(end) {
            if !is_ident_continue(c) {
                break;
            }
            end += c.len_utf8();
        }
        let name = &self.text[start..end];
        if matches!(self.byte_at(end), Some(b'\'' | b'"')) {
            match name.to_ascii_lowercase().as_str() {
                "u" | "r" => {
                    self.pos = end;
                    let raw = name.eq_ignore_ascii_case("r");
                    let s = self.string(start, raw)?;
                    return Ok((Tok::Str(s), start));
                }
                "b" | "br" | "rb" => {
                    return Err(syntax(start, "bytes literals are not supported"));
                }
                "f" | "fr" | "rf" => {
                    return Err(syntax(start, "f-strings are not supported"));
                }
                _ => {
                    return Err(syntax(start, format!("invalid string prefix '{name}'")));
                }
            }
        }
        self.pos = end;
        match name {
            "True" => Ok((Tok::True, start)),
            "False" => Ok((Tok::False, start)),
            "None" => Ok((Tok::None, start)),
            _ => Err(syntax(
                start,
                format!("name '{name}' is not allowed in a literal"),
            )),
        }
    }

    /// Lexes a string literal whose opening quote is at `self.pos`; `start` is where its
    /// prefix began (for error offsets).
    fn string(&mut self, start: usize, raw: bool) -> Result<String> {
        let quote = self.bytes[self.pos];
        let triple =
            self.byte_at(self.pos + 1) == Some(quote) && self.byte_at(self.pos + 2) == Some(quote);
        self.pos += if triple { 3 } else { 1 };
        let unterminated = |what: &str| syntax(start, format!("unterminated {what}"));
        let mut out = String::new();
        loop {
            // Copy a run of ordinary bytes in one go. All stop bytes are ASCII, so the run
            // ends on a char boundary.
            let run_start = self.pos;
            while let Some(b) = self.byte_at(self.pos) {
                if b == quote || b == b'\\' || b == b'\n' || b == b'\r' {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            let Some(b) = self.byte_at(self.pos) else {
                return Err(unterminated(if triple {
                    "triple-quoted string literal"
                } else {
                    "string literal"
                }));
            };
            match b {
                b'\n' | b'\r' => {
                    if !triple {
                        return Err(unterminated("string literal (a newline ends it)"));
                    }
                    self.pos += self.newline_len(self.pos);
                    out.push('\n');
                }
                b'\\' => {
                    self.pos += 1;
                    if self.pos >= self.bytes.len() {
                        return Err(unterminated("string literal"));
                    }
                    if raw {
                        self.raw_escape(&mut out);
                    } else {
                        self.escape(&mut out)?;
                    }
                }
                _ => {
                    // The quote character.
                    if !triple {
                        self.pos += 1;
                        return Ok(out);
                    }
                    if self.byte_at(self.pos + 1) == Some(quote)
                        && self.byte_at(self.pos + 2) == Some(quote)
                    {
                        self.pos += 3;
                        return Ok(out);
                    }
                    out.push(char::from(quote));
                    self.pos += 1;
                }
            }
        }
    }

    /// In a raw string a backslash escapes nothing, but keeps the next character (a quote
    /// or a newline) from ending the literal. `self.pos` is just after the backslash.
    fn raw_escape(&mut self, out: &mut String) {
        out.push('\\');
        let nl = self.newline_len(self.pos);
        if nl > 0 {
            self.pos += nl;
            out.push('\n');
        } else if let Some(c) = self.char_at(self.pos) {
            self.pos += c.len_utf8();
            out.push(c);
        }
    }

    /// Decodes one escape sequence; `self.pos` is just after the backslash.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let esc_start = self.pos - 1;
        let nl = self.newline_len(self.pos);
        if nl > 0 {
            // Backslash-newline: both vanish.
            self.pos += nl;
            return Ok(());
        }
        let Some(b) = self.byte_at(self.pos) else {
            return Err(syntax(esc_start, "unterminated string literal"));
        };
        let simple = match b {
            b'\\' => Some('\\'),
            b'\'' => Some('\''),
            b'"' => Some('"'),
            b'a' => Some('\x07'),
            b'b' => Some('\x08'),
            b'f' => Some('\x0c'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            b'v' => Some('\x0b'),
            _ => None,
        };
        if let Some(c) = simple {
            self.pos += 1;
            out.push(c);
            return Ok(());
        }
        match b {
            b'0'..=b'7' => {
                let mut value = 0u32;
                let mut digits = 0;
                while digits < 3 {
                    match self.byte_at(self.pos) {
                        Some(d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.pos += 1;
                            digits += 1;
                        }
                        _ => break,
                    }
                }
                // At most 0o777, never a surrogate.
                let c = char::from_u32(value)
                    .ok_or_else(|| syntax(esc_start, "invalid octal escape"))?;
                out.push(c);
                Ok(())
            }
            b'x' | b'u' | b'U' => {
                let (count, name) = match b {
                    b'x' => (2, "\\xXX"),
                    b'u' => (4, "\\uXXXX"),
                    _ => (8, "\\UXXXXXXXX"),
                };
                self.pos += 1;
                let mut value = 0u32;
                for _ in 0..count {
                    let digit = self
                        .byte_at(self.pos)
                        .and_then(|d| char::from(d).to_digit(16))
                        .ok_or_else(|| syntax(esc_start, format!("truncated {name} escape")))?;
                    value = value * 16 + digit;
                    self.pos += 1;
                }
                match char::from_u32(value) {
                    Some(c) => {
                        out.push(c);
                        Ok(())
                    }
                    None if (0xD800..=0xDFFF).contains(&value) => Err(syntax(
                        esc_start,
                        format!(
                            "escape \\u{value:04x} is a lone surrogate code point, which Python \
                             allows in str but this reader cannot represent"
                        ),
                    )),
                    None => Err(syntax(
                        esc_start,
                        format!("illegal Unicode character in escape (U+{value:X} > U+10FFFF)"),
                    )),
                }
            }
            b'N' => Err(syntax(
                esc_start,
                "named Unicode escapes (\\N{...}) are not supported",
            )),
            _ => {
                // Unknown escape: Python keeps the backslash (with a DeprecationWarning).
                // The character itself is copied by the caller's next run.
                out.push('\\');
                Ok(())
            }
        }
    }

    /// Lexes an integer literal starting at `start` and returns its magnitude.
    fn number(&mut self, start: usize) -> Result<u128> {
        let (radix, name, prefixed) = match (self.byte_at(start), self.byte_at(start + 1)) {
            (Some(b'0'), Some(b'x' | b'X')) => (16, "hexadecimal", true),
            (Some(b'0'), Some(b'o' | b'O')) => (8, "octal", true),
            (Some(b'0'), Some(b'b' | b'B')) => (2, "binary", true),
            _ => (10, "decimal", false),
        };
        self.pos = if prefixed { start + 2 } else { start };
        let invalid = |at: usize| syntax(at, format!("invalid {name} literal"));
        let mut value: u128 = 0;
        let mut any_digit = false;
        let mut overflow = false;
        while let Some(b) = self.byte_at(self.pos) {
            if b == b'_' {
                // One underscore, then a digit (also right after a base prefix: `0x_1`).
                let next_is_digit = self
                    .byte_at(self.pos + 1)
                    .and_then(|d| char::from(d).to_digit(radix))
                    .is_some();
                if !next_is_digit || (!prefixed && !any_digit) {
                    return Err(invalid(start));
                }
                self.pos += 1;
                continue;
            }
            let Some(digit) = char::from(b).to_digit(radix) else {
                break;
            };
            any_digit = true;
            match value
                .checked_mul(u128::from(radix))
                .and_then(|v| v.checked_add(u128::from(digit)))
            {
                Some(v) => value = v,
                None => overflow = true,
            }
            self.pos += 1;
        }
        if !any_digit {
            return Err(invalid(start));
        }
        // What directly follows the digits.
        let next = self.char_at(self.pos);
        match next {
            Some('.') if radix == 10 => {
                return Err(syntax(start, "floating-point numbers are not supported"));
            }
            Some('e' | 'E') if radix == 10 => {
                return Err(syntax(start, "floating-point numbers are not supported"));
            }
            Some('j' | 'J') if radix == 10 => {
                return Err(syntax(start, "complex numbers are not supported"));
            }
            Some('L' | 'l') if self.allow_long_suffix => {
                self.pos += 1;
                if self.char_at(self.pos).is_some_and(is_ident_continue) {
                    return Err(invalid(start));
                }
            }
            Some(c) if c.is_ascii_digit() && radix < 10 => {
                return Err(syntax(
                    self.pos,
                    format!("invalid digit '{c}' in {name} literal"),
                ));
            }
            Some(c) if is_ident_continue(c) => return Err(invalid(start)),
            _ => {}
        }
        if overflow {
            return Err(syntax(
                start,
                "integer literal is too large (outside the 128-bit range)",
            ));
        }
        if radix == 10 && value != 0 && self.bytes[start] == b'0' {
            return Err(syntax(
                start,
                "leading zeros in decimal integer literals are not permitted",
            ));
        }
        Ok(value)
    }
}

// ---------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------

/// A completed sub-expression. Integer literals keep their unsigned magnitude until it is
/// known whether a unary minus applies (so that `-2**127` fits).
enum Item {
    Value(Value),
    /// An integer literal, possibly wrapped in grouping parentheses, not yet signed.
    IntLiteral {
        magnitude: u128,
        offset: usize,
    },
}

impl Item {
    fn into_value(self) -> Result<Value> {
        match self {
            Item::Value(v) => Ok(v),
            Item::IntLiteral { magnitude, offset } => {
                i128::try_from(magnitude).map(Value::Int).map_err(|_| {
                    syntax(
                        offset,
                        "integer literal is too large (outside the 128-bit range)",
                    )
                })
            }
        }
    }
}

enum Frame {
    /// The whole expression; collects a bare top-level tuple `1, 2`.
    Top {
        items: Vec<Value>,
        saw_comma: bool,
    },
    /// `(`: a tuple, or grouping parentheses if it closes around one item without a comma.
    Paren {
        items: Vec<Value>,
        saw_comma: bool,
    },
    List {
        items: Vec<Value>,
    },
    Dict {
        entries: Vec<(Value, Value)>,
        key: Option<Value>,
    },
    /// A unary `+` or `-`, which must apply to an integer literal.
    Sign {
        negative: bool,
        offset: usize,
    },
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    peeked: Option<(Tok, usize)>,
    max_depth: usize,
}

/// What the parser does next.
enum Step {
    /// Read the start of a value (or a closing bracket, where allowed).
    ExpectValue,
    /// A value is complete; hand it to the innermost frame.
    Reduce(Item),
}

impl Parser<'_> {
    fn next(&mut self) -> Result<(Tok, usize)> {
        match self.peeked.take() {
            Some(tok) => Ok(tok),
            None => self.lexer.next(),
        }
    }

    fn peek(&mut self) -> Result<&(Tok, usize)> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next()?);
        }
        Ok(self.peeked.as_ref().expect("just filled"))
    }

    fn run(mut self) -> Result<Value> {
        let mut stack = vec![Frame::Top {
            items: Vec::new(),
            saw_comma: false,
        }];
        // Open brackets on the stack (Top and Sign frames do not count).
        let mut depth = 0usize;
        let mut step = Step::ExpectValue;
        loop {
            step = match step {
                Step::ExpectValue => {
                    let (tok, offset) = self.next()?;
                    let frame = stack.last_mut().expect("Top is never popped");
                    let open = match tok {
                        Tok::LParen => Some(Frame::Paren {
                            items: Vec::new(),
                            saw_comma: false,
                        }),
                        Tok::LBracket => Some(Frame::List { items: Vec::new() }),
                        Tok::LBrace => Some(Frame::Dict {
                            entries: Vec::new(),
                            key: None,
                        }),
                        _ => None,
                    };
                    if let Some(open) = open {
                        depth += 1;
                        if depth > self.max_depth {
                            return Err(Error::new(
                                ErrorKind::HeaderTooLarge,
                                format!(
                                    "header literal nests deeper than the limit of {} brackets",
                                    self.max_depth
                                ),
                            )
                            .at(offset as u64));
                        }
                        stack.push(open);
                        continue;
                    }
                    match (tok, frame) {
                        (tok @ (Tok::Plus | Tok::Minus), frame) => {
                            if matches!(frame, Frame::Sign { .. }) {
                                return Err(syntax(
                                    offset,
                                    "only one unary sign may precede an integer literal",
                                ));
                            }
                            stack.push(Frame::Sign {
                                negative: matches!(tok, Tok::Minus),
                                offset,
                            });
                            Step::ExpectValue
                        }
                        (Tok::Str(mut s), _) => {
                            // Implicit concatenation of adjacent string literals.
                            while matches!(self.peek()?.0, Tok::Str(_)) {
                                if let (Tok::Str(more), _) = self.next()? {
                                    s.push_str(&more);
                                }
                            }
                            Step::Reduce(Item::Value(Value::Str(s)))
                        }
                        (Tok::Int(magnitude), _) => {
                            Step::Reduce(Item::IntLiteral { magnitude, offset })
                        }
                        (Tok::True, _) => Step::Reduce(Item::Value(Value::Bool(true))),
                        (Tok::False, _) => Step::Reduce(Item::Value(Value::Bool(false))),
                        (Tok::None, _) => Step::Reduce(Item::Value(Value::None)),
                        (Tok::RParen, Frame::Paren { items, .. }) => {
                            // `()` or a trailing comma `(1, 2,)`.
                            let items = std::mem::take(items);
                            stack.pop();
                            depth -= 1;
                            Step::Reduce(Item::Value(Value::Tuple(items)))
                        }
                        (Tok::RBracket, Frame::List { items }) => {
                            let items = std::mem::take(items);
                            stack.pop();
                            depth -= 1;
                            Step::Reduce(Item::Value(Value::List(items)))
                        }
                        (Tok::RBrace, Frame::Dict { entries, key: None }) => {
                            let entries = std::mem::take(entries);
                            stack.pop();
                            depth -= 1;
                            Step::Reduce(Item::Value(Value::Dict(entries)))
                        }
                        (Tok::Newline, Frame::Top { items, saw_comma }) => {
                            if *saw_comma {
                                // `1, 2,` then the end of the line.
                                let items = std::mem::take(items);
                                return self.finish(Value::Tuple(items));
                            }
                            // Blank lines before the expression.
                            Step::ExpectValue
                        }
                        (Tok::End, Frame::Top { items, saw_comma }) => {
                            if *saw_comma {
                                let items = std::mem::take(items);
                                return self.finish(Value::Tuple(items));
                            }
                            return Err(syntax(offset, "header text is empty"));
                        }
                        (tok, _) => {
                            return Err(syntax(
                                offset,
                                format!("expected a value, found {}", tok.describe()),
                            ));
                        }
                    }
                }
                Step::Reduce(item) => {
                    let frame = stack.last_mut().expect("Top is never popped");
                    match frame {
                        Frame::Sign { negative, offset } => {
                            let Item::IntLiteral { magnitude, .. } = item else {
                                return Err(syntax(
                                    *offset,
                                    "a unary sign may only precede an integer literal",
                                ));
                            };
                            let value = if *negative {
                                0i128.checked_sub_unsigned(magnitude)
                            } else {
                                i128::try_from(magnitude).ok()
                            };
                            let value = value.ok_or_else(|| {
                                syntax(
                                    *offset,
                                    "integer literal is too large (outside the 128-bit range)",
                                )
                            })?;
                            stack.pop();
                            Step::Reduce(Item::Value(Value::Int(value)))
                        }
                        Frame::Top { items, saw_comma } => {
                            let value = item.into_value()?;
                            let (tok, offset) = self.next()?;
                            match tok {
                                Tok::Comma => {
                                    items.push(value);
                                    *saw_comma = true;
                                    Step::ExpectValue
                                }
                                Tok::Newline | Tok::End => {
                                    let value = if *saw_comma {
                                        items.push(value);
                                        Value::Tuple(std::mem::take(items))
                                    } else {
                                        value
                                    };
                                    if matches!(tok, Tok::End) {
                                        return Ok(value);
                                    }
                                    return self.finish(value);
                                }
                                tok => return Err(trailing(offset, &tok)),
                            }
                        }
                        Frame::Paren { items, saw_comma } => {
                            let (tok, offset) = self.next()?;
                            match tok {
                                Tok::Comma => {
                                    items.push(item.into_value()?);
                                    *saw_comma = true;
                                    Step::ExpectValue
                                }
                                Tok::RParen => {
                                    let item = if *saw_comma {
                                        items.push(item.into_value()?);
                                        Item::Value(Value::Tuple(std::mem::take(items)))
                                    } else {
                                        // Grouping parentheses: `(3)` is 3.
                                        item
                                    };
                                    stack.pop();
                                    depth -= 1;
                                    Step::Reduce(item)
                                }
                                tok => {
                                    return Err(syntax(
                                        offset,
                                        format!("expected ',' or ')', found {}", tok.describe()),
                                    ));
                                }
                            }
                        }
                        Frame::List { items } => {
                            items.push(item.into_value()?);
                            let (tok, offset) = self.next()?;
                            match tok {
                                Tok::Comma => Step::ExpectValue,
                                Tok::RBracket => {
                                    let items = std::mem::take(items);
                                    stack.pop();
                                    depth -= 1;
                                    Step::Reduce(Item::Value(Value::List(items)))
                                }
                                tok => {
                                    return Err(syntax(
                                        offset,
                                        format!("expected ',' or ']', found {}", tok.describe()),
                                    ));
                                }
                            }
                        }
                        Frame::Dict { entries, key } => {
                            let value = item.into_value()?;
                            let (tok, offset) = self.next()?;
                            match key.take() {
                                None => match tok {
                                    Tok::Colon => {
                                        check_hashable(&value, offset)?;
                                        *key = Some(value);
                                        Step::ExpectValue
                                    }
                                    Tok::Comma | Tok::RBrace if entries.is_empty() => {
                                        return Err(syntax(offset, "sets are not supported"));
                                    }
                                    tok => {
                                        return Err(syntax(
                                            offset,
                                            format!("expected ':', found {}", tok.describe()),
                                        ));
                                    }
                                },
                                Some(k) => {
                                    entries.push((k, value));
                                    match tok {
                                        Tok::Comma => Step::ExpectValue,
                                        Tok::RBrace => {
                                            let entries = std::mem::take(entries);
                                            stack.pop();
                                            depth -= 1;
                                            Step::Reduce(Item::Value(Value::Dict(entries)))
                                        }
                                        tok => {
                                            return Err(syntax(
                                                offset,
                                                format!(
                                                    "expected ',' or '}}', found {}",
                                                    tok.describe()
                                                ),
                                            ));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            };
        }
    }

    /// After the expression ended with a newline: only further newlines may follow.
    fn finish(mut self, value: Value) -> Result<Value> {
        loop {
            match self.next()? {
                (Tok::End, _) => return Ok(value),
                (Tok::Newline, _) => {}
                (tok, offset) => return Err(trailing(offset, &tok)),
            }
        }
    }
}

fn trailing(offset: usize, tok: &Tok) -> Error {
    syntax(
        offset,
        format!("found {} after the end of the literal", tok.describe()),
    )
}

/// Rejects dict keys that Python could not hash (lists, dicts, or tuples containing them),
/// as `literal_eval` does with a `TypeError`. Iterative, so the native stack stays bounded.
fn check_hashable(key: &Value, offset: usize) -> Result<()> {
    let mut pending = vec![key];
    while let Some(v) = pending.pop() {
        match v {
            Value::List(_) | Value::Dict(_) => {
                return Err(syntax(
                    offset,
                    "unhashable dict key (a list or dict cannot be a key)",
                ));
            }
            Value::Tuple(items) => pending.extend(items.iter()),
            _ => {}
        }
    }
    Ok(())
}
