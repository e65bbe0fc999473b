// Discovery through main.ts in process. @actions/github reads the event once per process,
// so this file has one event: a workflow_dispatch with no commit, which names nothing.
import { describe, expect, it } from '@jest/globals'
import { useInProcessAction } from './in-process.js'

const action = useInProcessAction({ GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_SHA: '', GITHUB_REF: '' })

describe('run with project-name', () => {
  it('stops the batches of the source-version input', async () => {
    const match = action.endpoint().addBatch({ project: 'app', sourceVersion: 'release/1', pollsToSettle: 1 })
    action.endpoint().addBatch({ project: 'app', sourceVersion: 'release/2' })
    action.setInputs({ 'project-name': 'app', 'source-version': 'release/1' })

    await action.run()

    expect(process.exitCode).toBeUndefined()
    expect(action.outputs()['stopped-ids']).toBe(JSON.stringify([match]))
    expect(action.summary()).toContain('1 of 2 in-progress batches matched.')
  })

  it('fails before any request, naming source-version, when the event names nothing to look for', async () => {
    action.endpoint().addBatch({ project: 'app', sourceVersion: 'main' })
    action.setInputs({ 'project-name': 'app' })

    await action.run()

    expect(process.exitCode).toBe(1)
    expect(action.stdout()).toContain(
      "::error::The workflow_dispatch event is about nothing whose batches can be told: the run has no commit or ref (GITHUB_SHA and GITHUB_REF are empty). Give input 'source-version'"
    )
    expect(action.endpoint().requests).toHaveLength(0)
  })

  it('stops the given ids, and warns that there is nothing to look for, when the event names nothing', async () => {
    const given = action.endpoint().addBatch({ project: 'app', sourceVersion: 'main', pollsToSettle: 1 })
    action.setInputs({ 'project-name': 'app', 'batch-id': given })

    await action.run()

    expect(process.exitCode).toBeUndefined()
    expect(action.stdout()).toContain("::warning::Nothing to look for in project app: give input 'source-version' to find batches on the workflow_dispatch event. Stopping the batches of 'batch-id' only.")
    expect(action.endpoint().requestsOf('ListBuildBatchesForProject')).toHaveLength(0)
    expect(action.outputs()['stopped-ids']).toBe(JSON.stringify([given]))
  })

  it('refuses superseded-only when the run has no head commit', async () => {
    const given = action.endpoint().addBatch({ project: 'app' })
    action.setInputs({ 'project-name': 'app', 'superseded-only': 'true', 'batch-id': given })

    await action.run()

    expect(process.exitCode).toBe(1)
    expect(action.stdout()).toContain("::error::Input 'superseded-only' needs the run's head commit")
    expect(action.endpoint().requests).toHaveLength(0)
  })

  it('fails with the reason when the project cannot be listed', async () => {
    action.endpoint().setFaults([{ kind: 'deny', operation: 'ListBuildBatchesForProject' }])
    action.setInputs({ 'project-name': 'app', 'source-version': 'main' })

    await action.run()

    expect(process.exitCode).toBe(1)
    expect(action.stdout()).toContain('::error::Could not list the batches of project app in us-east-1')
  })
})
