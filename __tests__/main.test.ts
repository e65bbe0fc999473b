import { describe, expect, it } from '@jest/globals'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { useInProcessAction } from './in-process.js'

const action = useInProcessAction()

describe('run', () => {
  it('stops the batch, waits, and writes outputs and summary', async () => {
    const id = action.endpoint().addBatch({ project: 'app', pollsToSettle: 1 })
    action.setInputs({ 'batch-id': id })

    await action.run()

    expect(process.exitCode).toBeUndefined()
    expect(action.outputs()).toMatchObject({ status: 'STOPPED', complete: 'true', 'batch-id': id })
    expect(action.summary()).toContain('<h2>Stop CodeBuild batch builds: 1 batch</h2>')
    expect(action.stdout()).toContain('Poll 1: every batch has stopped.')
  })

  it('fails the step, and still writes every output, when a batch is missing', async () => {
    action.setInputs({ 'batch-id': 'app:00000000-0000-4000-8000-000000000000' })

    await action.run()

    expect(process.exitCode).toBe(1)
    expect(action.stdout()).toContain('::error::1 of 1 batch(es) could not be stopped')
    expect(action.outputs()['stopped-ids']).toBe('[]')
  })

  it('fails on bad input with the message alone', async () => {
    action.setInputs({ 'batch-id': 'app:nope' })

    await action.run()

    expect(process.exitCode).toBe(1)
    expect(action.stdout()).toMatch(/^::error::Input 'batch-id' has an invalid value "app:nope"/m)
    expect(action.endpoint().requests).toHaveLength(0)
  })

  it('reports an unexpected failure as such', async () => {
    const id = action.endpoint().addBatch({ project: 'app', pollsToSettle: 1 })
    action.setInputs({ 'batch-id': id })
    rmSync(join(action.work(), 'summary'))
    mkdirSync(join(action.work(), 'summary'))

    await action.run()

    expect(process.exitCode).toBe(1)
    expect(action.stdout()).toContain('::error::Unexpected error: ')
    rmSync(join(action.work(), 'summary'), { recursive: true })
  })

  it('does not wait when the runner cancelled before the stop was sent', async () => {
    const id = action.endpoint().addBatch({ project: 'app', stopBehaviour: 'never-settles' })
    action.setInputs({ 'batch-id': id, 'wait-timeout': '60' })
    process.emit('SIGINT', 'SIGINT')

    await action.run()

    expect(process.exitCode).toBeUndefined()
    expect(action.endpoint().requestsOf('StopBuildBatch')).toHaveLength(1)
    expect(action.endpoint().requestsOf('BatchGetBuildBatches')).toHaveLength(0)
    expect(action.stdout()).toContain('::warning::Received SIGINT')
    expect(action.outputs()['stopped-ids']).toBe(JSON.stringify([id]))
  })

  it('lists without stopping in a dry run of explicit ids', async () => {
    const id = action.endpoint().addBatch({ project: 'app' })
    action.setInputs({ 'batch-id': id, 'dry-run': 'true' })

    await action.run()

    expect(process.exitCode).toBeUndefined()
    expect(action.endpoint().requestsOf('StopBuildBatch')).toHaveLength(0)
    expect(action.stdout()).toContain(`Dry run: would stop ${id}`)
  })
})
