/**
 * Parser for MATLAB expressions as case files write them: numbers, names, strings, `+ - * / ^`
 * (and the element-wise `.* ./ .^`), unary signs, parentheses, calls/indexing `f(a, b)` with `:`
 * and `a:b` arguments, field access `s.f`, and matrix literals `[1 2; 3 4]`.
 *
 * Precedence follows MATLAB: `^` binds tighter than unary minus (`-2^2` is -4) and is
 * left-associative; `2^-1` is allowed. Inside `[ … ]`, whitespace separates elements unless it
 * surrounds a binary operator (`[1 -2]` is two elements, `[1 - 2]` and `[50/3 -50/3]`'s `50/3` one).
 */
import type { Token } from './tokens.js';

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '.*' | './' | '.^';

/** A matrix element: a plain number (the common case, kept unboxed) or an expression. */
export type Cell = number | Expr;

export interface MatrixRow {
  readonly line: number;
  readonly cells: readonly Cell[];
}

export type Expr =
  | { readonly kind: 'num'; readonly line: number; readonly value: number }
  | { readonly kind: 'str'; readonly line: number; readonly value: string }
  | { readonly kind: 'name'; readonly line: number; readonly name: string }
  | { readonly kind: 'unary'; readonly line: number; readonly op: '+' | '-'; readonly arg: Expr }
  | { readonly kind: 'binary'; readonly line: number; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly line: number; readonly callee: Expr; readonly args: readonly Expr[] }
  | { readonly kind: 'field'; readonly line: number; readonly object: Expr; readonly field: string }
  | { readonly kind: 'matrix'; readonly line: number; readonly rows: readonly MatrixRow[] }
  /** A bare `:` argument (all rows or columns). */
  | { readonly kind: 'colon'; readonly line: number }
  | { readonly kind: 'range'; readonly line: number; readonly from: Expr; readonly to: Expr };

/**
 * Something the importer does not understand. The statement runner turns it into a
 * CaseFileError `line N: cannot interpret "…": reason`.
 */
export class Unsupported extends Error {
  override readonly name = 'Unsupported';
  constructor(readonly line: number, readonly reason: string) {
    super(reason);
  }
}

/** Deep enough for any real expression; bounds the recursion on hostile input. */
export const MAX_EXPRESSION_DEPTH = 64;

const ADDITIVE = new Set(['+', '-']);
const MULTIPLICATIVE = new Set(['*', '/', '.*', './']);
const POWER = new Set(['^', '.^']);

/** Parses all of `tokens` as one expression. */
export function parseExpression(tokens: readonly Token[]): Expr {
  const parser = new ExpressionParser(tokens);
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

class ExpressionParser {
  private pos = 0;
  /** True directly inside `[ … ]`, where whitespace can end an element. */
  private inMatrix = false;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  expectEnd(): void {
    const token = this.peek();
    if (token !== undefined) throw new Unsupported(token.line, `unexpected ${describe(token)}`);
  }

  expression(): Expr {
    return this.nested(() => this.additive());
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const op = this.binaryOp(ADDITIVE);
      if (op === undefined) return left;
      left = { kind: 'binary', line: left.line, op, left, right: this.multiplicative() };
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const op = this.binaryOp(MULTIPLICATIVE);
      if (op === undefined) return left;
      left = { kind: 'binary', line: left.line, op, left, right: this.unary() };
    }
  }

  private unary(): Expr {
    const token = this.peek();
    if (token?.kind === 'op' && ADDITIVE.has(token.text)) {
      this.pos++;
      return { kind: 'unary', line: token.line, op: token.text as '+' | '-', arg: this.nested(() => this.unary()) };
    }
    return this.power();
  }

  private power(): Expr {
    let left = this.postfix();
    for (;;) {
      const op = this.binaryOp(POWER);
      if (op === undefined) return left;
      left = { kind: 'binary', line: left.line, op, left, right: this.powerOperand() };
    }
  }

  /** MATLAB accepts signs right after `^`: `10^-3`. */
  private powerOperand(): Expr {
    const token = this.peek();
    if (token?.kind === 'op' && ADDITIVE.has(token.text)) {
      this.pos++;
      return { kind: 'unary', line: token.line, op: token.text as '+' | '-', arg: this.nested(() => this.powerOperand()) };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let expr = this.primary();
    for (;;) {
      const token = this.peek();
      if (token?.kind !== 'op' || (this.inMatrix && token.spaceBefore)) return expr;
      if (token.text === '(') {
        this.pos++;
        expr = { kind: 'call', line: expr.line, callee: expr, args: this.arguments() };
      } else if (token.text === '.' && this.peek(1)?.kind === 'id' && expr.kind === 'name') {
        this.pos += 2;
        expr = { kind: 'field', line: expr.line, object: expr, field: (this.tokens[this.pos - 1] as Token).text };
      } else {
        return expr;
      }
    }
  }

  private primary(): Expr {
    const token = this.next();
    if (token.kind === 'num') return { kind: 'num', line: token.line, value: token.value };
    if (token.kind === 'str') return { kind: 'str', line: token.line, value: token.text };
    if (token.kind === 'id') return { kind: 'name', line: token.line, name: token.text };
    if (token.kind === 'op' && token.text === '(') {
      const inner = this.outsideMatrix(() => this.expression());
      this.expect(')');
      return inner;
    }
    if (token.kind === 'op' && token.text === '[') return this.matrix(token.line);
    throw new Unsupported(token.line, `unexpected ${describe(token)}`);
  }

  /** Arguments of `f(…)` after the `(`, up to and including the `)`. */
  private arguments(): Expr[] {
    return this.outsideMatrix(() => {
      const args: Expr[] = [];
      if (this.accept(')')) return args;
      for (;;) {
        args.push(this.argument());
        if (this.accept(')')) return args;
        this.expect(',');
      }
    });
  }

  private argument(): Expr {
    const token = this.peek();
    if (token?.kind === 'op' && token.text === ':') {
      this.pos++;
      return { kind: 'colon', line: token.line };
    }
    const from = this.expression();
    if (!this.accept(':')) return from;
    return { kind: 'range', line: from.line, from, to: this.expression() };
  }

  /** Rows of `[ … ]` after the `[`, up to and including the `]`. */
  private matrix(line: number): Expr {
    const saved = this.inMatrix;
    this.inMatrix = true;
    const rows: MatrixRow[] = [];
    let cells: Cell[] = [];
    let rowLine = line;
    const endRow = (): void => {
      if (cells.length > 0) rows.push({ line: rowLine, cells });
      cells = [];
    };
    for (;;) {
      const token = this.next();
      if (token.kind === 'op' && token.text === ']') break;
      if (token.kind === 'nl' || (token.kind === 'op' && token.text === ';')) {
        endRow();
        continue;
      }
      if (cells.length === 0) rowLine = token.line;
      this.pos--;
      cells.push(this.plainNumber() ?? this.expression());
      this.expectElementEnd();
    }
    endRow();
    this.inMatrix = saved;
    return { kind: 'matrix', line, rows };
  }

  /**
   * Fast path for the bulk of a case file: an element that is just a number, or a minus sign glued
   * to one (`-360`), followed by the end of the element. Consumes it and returns its value.
   */
  private plainNumber(): number | undefined {
    const first = this.peek();
    const negative = first?.kind === 'op' && first.text === '-';
    const number = negative ? this.peek(1) : first;
    if (number?.kind !== 'num' || (negative && number.spaceBefore)) return undefined;
    const skip = negative ? 2 : 1;
    const after = this.peek(skip);
    const ends =
      after === undefined ||
      after.kind === 'nl' ||
      (after.kind === 'op' ? after.text === ']' || after.text === ';' || after.text === ',' : after.spaceBefore);
    if (!ends) return undefined;
    this.pos += skip;
    return negative ? -number.value : number.value;
  }

  /** After a matrix element: a `,` (consumed), or a row end, `]` or whitespace (left in place). */
  private expectElementEnd(): void {
    const token = this.peek();
    if (token === undefined) throw new Unsupported(this.lastLine(), 'missing "]"');
    if (token.kind === 'nl' || token.spaceBefore) {
      this.accept(',');
      return;
    }
    if (token.kind === 'op' && (token.text === ']' || token.text === ';')) return;
    if (token.kind === 'op' && token.text === ',') {
      this.pos++;
      return;
    }
    throw new Unsupported(token.line, `unexpected ${describe(token)}`);
  }

  /**
   * The next token if it is one of `ops` and continues the current expression. Inside a matrix,
   * `a -b` (space before the sign, none after) starts a new element instead.
   */
  private binaryOp(ops: ReadonlySet<string>): BinaryOp | undefined {
    const token = this.peek();
    if (token?.kind !== 'op' || !ops.has(token.text)) return undefined;
    if (this.inMatrix && token.spaceBefore && ADDITIVE.has(token.text)) {
      const after = this.peek(1);
      if (after !== undefined && !after.spaceBefore && after.kind !== 'nl') return undefined;
    }
    this.pos++;
    return token.text as BinaryOp;
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      throw new Unsupported(this.lastLine(), `expression nested deeper than ${MAX_EXPRESSION_DEPTH} levels`);
    }
    const result = parse();
    this.depth--;
    return result;
  }

  private outsideMatrix<T>(parse: () => T): T {
    const saved = this.inMatrix;
    this.inMatrix = false;
    const result = this.nested(parse);
    this.inMatrix = saved;
    return result;
  }

  private peek(ahead = 0): Token | undefined {
    return this.tokens[this.pos + ahead];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (token === undefined) throw new Unsupported(this.lastLine(), 'incomplete expression');
    this.pos++;
    return token;
  }

  private accept(text: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'op' || token.text !== text) return false;
    this.pos++;
    return true;
  }

  private expect(text: string): void {
    const token = this.peek();
    if (!this.accept(text)) {
      throw new Unsupported(token?.line ?? this.lastLine(), `expected "${text}"${token === undefined ? '' : `, found ${describe(token)}`}`);
    }
  }

  private lastLine(): number {
    return this.tokens[Math.min(this.pos, this.tokens.length - 1)]?.line ?? 0;
  }
}

function describe(token: Token): string {
  if (token.kind === 'nl') return 'end of line';
  return token.kind === 'str' ? `string '${token.text}'` : `"${token.text}"`;
}
