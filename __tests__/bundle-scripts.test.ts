// The steps after ncc in `npm run bundle` treat the chunk files like the entry file.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
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

  it('minify the chunks, keeping function and class names, and leave the entry file to ncc', () => {
    const folder = mkdtempSync(join(tmpdir(), 'chunks-'))
    const source = 'export class NoOpLogger { log(message) { return message } }\nexport function describeBatch(longParameterName) { return longParameterName }\n'
    writeFileSync(join(folder, 'index.js'), source)
    writeFileSync(join(folder, '22.index.js'), source)

    expect(script('minify-chunks.mjs', folder).status).toBe(0)

    const chunk = readFileSync(join(folder, '22.index.js'), 'utf8')
    expect(chunk.length).toBeLessThan(source.length)
    expect(chunk).toContain('class NoOpLogger')
    expect(chunk).toContain('function describeBatch')
    expect(chunk).not.toContain('longParameterName')
    expect(readFileSync(join(folder, 'index.js'), 'utf8')).toBe(source)
  })
})
