import { describe, expect, it } from '@jest/globals'
import { forHtml, forLog, quote } from '../src/report/escape.js'

describe('forLog', () => {
  it('keeps a workflow command in API text from starting a line', () => {
    const escaped = forLog('done\n::add-mask::secret\r\n::error::boom')
    expect(escaped).toBe('done\\n::add-mask::secret\\r\\n::error::boom')
    expect(escaped.split('\n')).toHaveLength(1)
  })

  it.each([
    ['\t', '\\t'],
    ['\u0000', '\\u0000'],
    ['\u001b[31mred', '\\u001b[31mred'],
    ['\u2028', '\\u2028'],
    ['\u2029', '\\u2029'],
    ['\u0085', '\\u0085'],
    ['\u007f', '\\u007f']
  ])('makes %j visible as %j', (raw, visible) => {
    expect(forLog(raw)).toBe(visible)
  })

  it('leaves ordinary text alone, and is idempotent', () => {
    const text = 'Stop requested for app:1 (us-east-1): 50% done, "quoted" – ünïcode'
    expect(forLog(text)).toBe(text)
    expect(forLog(forLog('a\nb'))).toBe(forLog('a\nb'))
  })
})

describe('quote', () => {
  it('quotes, escapes quotes and control characters, and cuts long values', () => {
    expect(quote('say "hi"\n')).toBe('"say \\"hi\\"\\n"')
    expect(quote('x'.repeat(200))).toBe(`"${'x'.repeat(120)}…"`)
    expect(quote('abc', 2)).toBe('"ab…"')
  })
})

describe('forHtml', () => {
  it('turns HTML and Markdown syntax into entities', () => {
    const escaped = forHtml('<script>alert("x")</script> & [a](javascript:b) | `c` *d* _e_ ~f~ \\ @g !h #i \'j\'')
    expect(escaped.replace(/&#\d+;/g, '')).not.toMatch(/[<>"'|[\]`*_~\\@!#()]/)
    expect(escaped).toContain('&#60;script&#62;')
    expect(escaped).toContain('&#38;')
  })

  it('turns every line break into <br>, so no blank line can end an HTML block', () => {
    const escaped = forHtml('a\n\nb\r\n\r\nc\rd\u2028e')
    expect(escaped).toBe('a<br><br>b<br><br>c<br>d<br>e')
    expect(escaped).not.toMatch(/[\r\n]/)
  })

  it('replaces other control characters', () => {
    expect(forHtml('a\u0000b\u001bc')).toBe('a\ufffdb\ufffdc')
  })
})
