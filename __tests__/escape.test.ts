import { describe, expect, it } from '@jest/globals'
import { forHtml, forLog, quote } from '../src/escape.js'

describe('forLog', () => {
  it('keeps a workflow command in API text from starting a line', () => {
    const escaped = forLog('done\n::add-mask::secret\r\n::error::boom')
    expect(escaped).toBe('done\\n::add-mask::secret\\r\\n::error::boom')
    expect(escaped.split('\n')).toHaveLength(1)
  })
})
