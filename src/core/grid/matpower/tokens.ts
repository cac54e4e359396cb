/**
 * Lexer for the small subset of MATLAB that MATPOWER case files use, and the split of the token
 * stream into statements. Comments (`%`, `%%`, `%{ … %}`) and line continuations (`...`) are dropped
 * here; whitespace is kept as a flag on each token because inside `[ … ]` it separates elements
 * (`[1 -2]` has two elements, `[1 - 2]` one).
 */
import { lineError } from './case-file-error.js';

export type TokenKind = 'num' | 'id' | 'str' | 'op' | 'nl';

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for `str`, the unquoted value; for `nl`, "\n"). */
  readonly text: string;
  /** Value of a `num` token (NaN otherwise). */
  readonly value: number;
  /** 1-based source line. */
  readonly line: number;
  /** Whitespace (or a continuation) separates this token from the previous one. */
  readonly spaceBefore: boolean;
}

export interface Statement {
  /** Tokens without the terminator; may contain `nl` and `;` inside brackets. */
  readonly tokens: readonly Token[];
  /** Line of the first token. */
  readonly line: number;
}

const TWO_CHAR_OPS = new Set(['.*', './', '.^', ".'", '==', '~=', '<=', '>=', '&&', '||']);
const ONE_CHAR_OPS = new Set([...'=+-*/\\^()[]{},;:.<>&|~!@']);

const NEWLINE = 10;
const PERCENT = 37;
const DOT = 46;

/**
 * Splits MATLAB source into tokens; throws a CaseFileError on an unterminated string or a stray
 * character. Written with char codes because a large case file has millions of tokens.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let space = false;
  const push = (kind: TokenKind, text: string, value: number): void => {
    tokens.push({ kind, text, value, line, spaceBefore: space });
    space = false;
  };
  while (pos < source.length) {
    const code = source.charCodeAt(pos);
    if (code === NEWLINE) {
      push('nl', '\n', Number.NaN);
      line++;
      pos++;
    } else if (isSpace(code)) {
      space = true;
      pos++;
    } else if (isDigit(code) || (code === DOT && isDigit(source.charCodeAt(pos + 1)))) {
      const end = scanNumber(source, pos);
      const text = source.slice(pos, end);
      push('num', text, Number(text));
      pos = end;
    } else if (isLetter(code)) {
      let end = pos + 1;
      while (end < source.length && isWordChar(source.charCodeAt(end))) end++;
      push('id', source.slice(pos, end), Number.NaN);
      pos = end;
    } else if (code === PERCENT) {
      const end = skipComment(source, pos);
      line += countNewlines(source, pos, end);
      pos = end;
    } else if (source.startsWith('...', pos)) {
      // continuation: the rest of the line is a comment and the newline is whitespace
      const eol = source.indexOf('\n', pos);
      pos = eol === -1 ? source.length : eol + 1;
      if (eol !== -1) line++;
      space = true;
    } else {
      pos = readOperatorOrString(source, pos, line, tokens.at(-1), space, push);
    }
  }
  return tokens;
}

type Push = (kind: TokenKind, text: string, value: number) => void;

/** Reads a string literal or an operator at `pos`; returns the index after it. */
function readOperatorOrString(source: string, pos: number, line: number, previous: Token | undefined, space: boolean, push: Push): number {
  const ch = source[pos] as string;
  if ((ch === "'" && !endsOperand(previous, space)) || ch === '"') {
    const { value, end } = readString(source, pos, line);
    push('str', value, Number.NaN);
    return end;
  }
  const two = source.slice(pos, pos + 2);
  const op = TWO_CHAR_OPS.has(two) ? two : ONE_CHAR_OPS.has(ch) || ch === "'" ? ch : undefined;
  if (op === undefined) throw lineError(line, `unexpected character "${ch}"`);
  push('op', op, Number.NaN);
  return pos + op.length;
}

/** End of the number at `pos`: digits, an optional fraction, an optional exponent (`1`, `.5`, `4.43E-05`). */
function scanNumber(source: string, pos: number): number {
  let end = skipDigits(source, pos);
  if (source.charCodeAt(end) === DOT) end = skipDigits(source, end + 1);
  const e = source.charCodeAt(end);
  if (e === 101 || e === 69) {
    const sign = source.charCodeAt(end + 1);
    const digits = sign === 43 || sign === 45 ? end + 2 : end + 1;
    if (isDigit(source.charCodeAt(digits))) end = skipDigits(source, digits);
  }
  return end;
}

function skipDigits(source: string, pos: number): number {
  while (isDigit(source.charCodeAt(pos))) pos++;
  return pos;
}

/** Index just past a comment starting at `pos` (a `%{ … %}` block or the rest of the line). */
function skipComment(source: string, pos: number): number {
  if (isBlockCommentLine(source, pos, '%{')) {
    let depth = 0;
    let at = lineStart(source, pos);
    while (at < source.length) {
      if (isBlockCommentLine(source, at, '%{')) depth++;
      else if (isBlockCommentLine(source, at, '%}')) depth--;
      const eol = source.indexOf('\n', at);
      if (depth === 0) return eol === -1 ? source.length : eol;
      if (eol === -1) break;
      at = eol + 1;
    }
    return source.length;
  }
  const eol = source.indexOf('\n', pos);
  return eol === -1 ? source.length : eol;
}

/** Whether the line containing `pos` holds only `marker` (MATLAB's block-comment rule). */
function isBlockCommentLine(source: string, pos: number, marker: string): boolean {
  const start = lineStart(source, pos);
  const eol = source.indexOf('\n', start);
  return source.slice(start, eol === -1 ? source.length : eol).trim() === marker;
}

function lineStart(source: string, pos: number): number {
  return source.lastIndexOf('\n', pos - 1) + 1;
}

function countNewlines(source: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (source.charCodeAt(i) === 10) n++;
  return n;
}

/** A quote after an operand with no space before it is MATLAB's transpose, not a string. */
function endsOperand(previous: Token | undefined, space: boolean): boolean {
  if (previous === undefined || space) return false;
  if (previous.kind === 'num' || previous.kind === 'id') return true;
  return previous.kind === 'op' && [')', ']', '}', "'", ".'"].includes(previous.text);
}

function readString(source: string, pos: number, line: number): { value: string; end: number } {
  const quote = source[pos] as string;
  let value = '';
  let at = pos + 1;
  for (;;) {
    const ch = source[at];
    if (ch === undefined || ch === '\n') throw lineError(line, 'unterminated string');
    if (ch === quote) {
      if (source[at + 1] !== quote) return { value, end: at + 1 };
      at++; // a doubled quote stands for one quote
    }
    value += ch;
    at++;
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 12 || code === 11;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function isWordChar(code: number): boolean {
  return isLetter(code) || isDigit(code) || code === 95;
}

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

/**
 * Splits tokens into statements at `;`, `,` and newlines outside brackets. Inside brackets those
 * tokens stay (they separate matrix rows and elements). Unbalanced brackets are errors.
 */
export function splitStatements(tokens: readonly Token[]): Statement[] {
  const statements: Statement[] = [];
  const open: Token[] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    const t = token.kind === 'op' ? token.text : '';
    if (open.length === 0 && (token.kind === 'nl' || t === ';' || t === ',')) {
      if (current.length > 0) statements.push({ tokens: current, line: (current[0] as Token).line });
      current = [];
      continue;
    }
    if (OPENERS[t] !== undefined) open.push(token);
    else if (CLOSERS.has(t)) {
      const opener = open.pop();
      if (opener === undefined || OPENERS[opener.text] !== t) {
        throw lineError(token.line, `"${t}" does not match ${opener === undefined ? 'any opening bracket' : `"${opener.text}" on line ${opener.line}`}`);
      }
    }
    current.push(token);
  }
  const unclosed = open[0];
  if (unclosed !== undefined) throw lineError(unclosed.line, `"${unclosed.text}" is never closed`);
  if (current.length > 0) statements.push({ tokens: current, line: (current[0] as Token).line });
  return statements;
}

const MAX_STATEMENT_TEXT = 100;

/** The source of a statement's tokens on one line, re-spaced, for error messages. */
export function statementText(statement: Statement, line = statement.line): string {
  let text = '';
  for (const token of statement.tokens) {
    if (token.line !== line || token.kind === 'nl') continue;
    const shown = token.kind === 'str' ? `'${token.text.replaceAll("'", "''")}'` : token.text;
    text += (text !== '' && token.spaceBefore ? ' ' : '') + shown;
  }
  return text.length > MAX_STATEMENT_TEXT ? `${text.slice(0, MAX_STATEMENT_TEXT - 3)}...` : text;
}
