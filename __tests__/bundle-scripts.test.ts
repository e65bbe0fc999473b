// The steps after ncc in `npm run bundle` treat the chunk files like the entry file.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const script = (name: string, folder: string) =>
  spawnSync(process.execPath, [join(root, 'scripts', name), folder], { encoding: 'utf8' })

describe('the bundle scripts', () => {
  it('make every .js file of dist/ ASCII-only, chunks included', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ascii-'))
    for (const name of ['index.js', '328.index.js']) writeFileSync(join(folder, name), 'export const mark = "⏹️ stopped"\n')

    expect(script('ascii-only.mjs', folder).status).toBe(0)

    for (const name of ['index.js', '328.index.js']) {
      expect(readFileSync(join(folder, name), 'utf8')).toBe('export const mark = "\\u23f9\\ufe0f stopped"\n')
    }
  })

  it('compress every .js file, the entry, its chunks and the guard\'s, keeping function and class names', () => {
    const folder = mkdtempSync(join(tmpdir(), 'optimize-'))
    mkdirSync(join(folder, 'guard'))
    const source =
      'export class NoOpLogger { log(message) { return message } }\n' +
      'export function describeBatch(longParameterName) { if (false) { console.log("never") } return longParameterName }\n'
    const files = ['index.js', '22.index.js', join('guard', 'main.js')]
    for (const name of files) writeFileSync(join(folder, name), source)

    expect(script('optimize-bundle.mjs', folder).status).toBe(0)

    for (const name of files) {
      const code = readFileSync(join(folder, name), 'utf8')
      expect(code.length).toBeLessThan(source.length)
      expect(code).toContain('class NoOpLogger')
      expect(code).toContain('function describeBatch')
      expect(code).not.toContain('longParameterName')
      expect(code).not.toContain('never')
    }
  })

  it('wrap each module factory of a bundle in parentheses, and nothing else, without changing what it does', async () => {
    const { parenthesizeFactories } = await import('../scripts/optimize-bundle.mjs')
    const bundle =
      'const modules={12:(e,t)=>{t.value=40},7:function(e,t){t.value=2}};' +
      'const other={1:2,3:(e)=>e};const named={a:(e)=>e};' +
      'const run=(id)=>{const m={};modules[id](m,m);return m.value};export const total=run(12)+run(7)'
    const wrapped = parenthesizeFactories(bundle)

    expect(wrapped).toContain('12:((e,t)=>{t.value=40})')
    expect(wrapped).toContain('7:(function(e,t){t.value=2})')
    expect(wrapped).toContain('const other={1:2,3:(e)=>e}')
    expect(wrapped).toContain('const named={a:(e)=>e}')
    const folder = mkdtempSync(join(tmpdir(), 'factories-'))
    writeFileSync(join(folder, 'before.mjs'), bundle)
    writeFileSync(join(folder, 'after.mjs'), wrapped)
    const before = await import(join(folder, 'before.mjs'))
    const after = await import(join(folder, 'after.mjs'))
    expect(after.total).toBe(42)
    expect(after.total).toBe(before.total)
  })
})
