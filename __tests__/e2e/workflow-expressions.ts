// The part of GitHub's workflow expression language that the README's workflows use, to
// run their steps as a runner would: property paths (github.event.before,
// steps.start.outputs.batch-id), string literals, `!`, `&&`, `||`, `==`, `!=`, parentheses,
// and the status functions success(), failure(), cancelled() and always().
// As on GitHub: `||` and `&&` give one of their operands, a missing property is null, and
// '' , 0, null and false are falsy.

export interface ExpressionContext {
  readonly github: Record<string, unknown>
  readonly steps?: Record<string, { outputs: Record<string, string> }>
  /** How the job stands when the expression is evaluated, for the status functions. */
  readonly status?: 'success' | 'failure' | 'cancelled'
}

type Token = { kind: 'op' | 'str' | 'name'; text: string }

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  const pattern = /\s*(?:(&&|\|\||==|!=|!|\(|\))|'((?:[^']|'')*)'|([A-Za-z_][\w.-]*))/y
  let at = 0
  while (source.slice(at).trim() !== '') {
    pattern.lastIndex = at
    const match = pattern.exec(source)
    if (match === null) throw new Error(`cannot read ${JSON.stringify(source.slice(at))} in ${JSON.stringify(source)}`)
    at = pattern.lastIndex
    if (match[1] !== undefined) tokens.push({ kind: 'op', text: match[1] })
    else if (match[2] !== undefined) tokens.push({ kind: 'str', text: match[2].replace(/''/g, "'") })
    else tokens.push({ kind: 'name', text: match[3] })
  }
  return tokens
}

export function evaluate(expression: string, context: ExpressionContext): unknown {
  const tokens = tokenize(expression)
  let next = 0
  const peek = (): Token | undefined => tokens[next]
  const take = (text?: string): Token => {
    const token = tokens[next++]
    if (token === undefined || (text !== undefined && token.text !== text)) {
      throw new Error(`expected ${text ?? 'more'} in ${JSON.stringify(expression)}`)
    }
    return token
  }
  const truthy = (value: unknown): boolean => value !== '' && value !== 0 && value !== null && value !== undefined && value !== false

  const or = (): unknown => {
    let value = and()
    while (peek()?.text === '||') {
      take()
      const right = and()
      value = truthy(value) ? value : right
    }
    return value
  }
  const and = (): unknown => {
    let value = unary()
    while (peek()?.text === '&&') {
      take()
      const right = unary()
      value = truthy(value) ? right : value
    }
    return value
  }
  const unary = (): unknown => {
    if (peek()?.text === '!') {
      take()
      return !truthy(unary())
    }
    return comparison()
  }
  const comparison = (): unknown => {
    const left = primary()
    const op = peek()?.text
    if (op === '==' || op === '!=') {
      take()
      const right = primary()
      const equal = String(left ?? '') === String(right ?? '')
      return op === '==' ? equal : !equal
    }
    return left
  }
  const primary = (): unknown => {
    const token = take()
    if (token.text === '(' && token.kind === 'op') {
      const value = or()
      take(')')
      return value
    }
    if (token.kind === 'str') return token.text
    if (token.kind !== 'name') throw new Error(`unexpected ${token.text} in ${JSON.stringify(expression)}`)
    if (peek()?.text === '(') {
      take('(')
      take(')')
      const status = context.status ?? 'success'
      switch (token.text) {
        case 'success':
          return status === 'success'
        case 'failure':
          return status === 'failure'
        case 'cancelled':
          return status === 'cancelled'
        case 'always':
          return true
        default:
          throw new Error(`unknown function ${token.text}()`)
      }
    }
    let value: unknown = { github: context.github, steps: context.steps ?? {} }
    for (const part of token.text.split('.')) {
      value = typeof value === 'object' && value !== null ? ((value as Record<string, unknown>)[part] ?? null) : null
    }
    return value
  }

  const value = or()
  if (next !== tokens.length) throw new Error(`left over in ${JSON.stringify(expression)}`)
  return value
}

/** A step's `if:`, with or without ${{ }}; GitHub adds `success() &&` when no status function is used. */
export function stepRuns(condition: string | undefined, context: ExpressionContext): boolean {
  const expression = (condition ?? 'success()').trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
  const withStatus = /\b(success|failure|cancelled|always)\(\)/.test(expression) ? expression : `success() && (${expression})`
  const value = evaluate(withStatus, context)
  return value !== '' && value !== 0 && value !== null && value !== undefined && value !== false
}

/** A string with every ${{ }} replaced by its value, as the runner does for `with:` and `env:`. */
export function interpolate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_match, expression: string) => {
    const value = evaluate(expression, context)
    return value === null || value === undefined ? '' : String(value)
  })
}
