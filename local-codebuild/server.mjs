// A local CodeBuild endpoint for the end-to-end tests, the benchmark and the demo.
//
// It speaks the CodeBuild JSON 1.1 protocol over plain HTTP for the three operations the
// action uses (StopBuildBatch, BatchGetBuildBatches, ListBuildBatchesForProject), and
// StartBuildBatch for workflows that start batches against it (`aws codebuild
// start-build-batch --endpoint-url …`), so that the real AWS SDK, pointed at it with
// AWS_ENDPOINT_URL_CODEBUILD, talks to it exactly as it talks to CodeBuild. It verifies each
// request's SigV4 signature and its signing time, refuses what CodeBuild refuses (unknown
// enum values, wrong types, unknown projects), holds scenario batches shaped like the
// responses recorded from CodeBuild whose state advances as they are polled or as time
// passes, records every request, and injects faults (throttling, 5xx answers, connection
// resets, delays, hung requests, truncated bodies). Given a contract (contract.mjs), it
// checks every response it sends against the service's shapes.
//
// Plain JavaScript with JSDoc types and Node built-ins only: `npm run demo` runs it on a
// fresh clone before anything is installed.
import { createHash, createHmac, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'

export const LOCAL_ACCESS_KEY_ID = 'AKIALOCALCODEBUILD01'
export const LOCAL_SECRET_ACCESS_KEY = 'local-codebuild-secret-key-for-tests-only'
export const LOCAL_ACCOUNT = '123456789012'
/** The initiator of a batch started with StartBuildBatch: the caller's user name, as CodeBuild records it. */
export const LOCAL_INITIATOR = 'local-user'

const TARGET_PREFIX = 'CodeBuild_20161006.'
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1'

/** AWS refuses a request signed more than five minutes before or after its own clock. */
const SIGNATURE_WINDOW_MS = 5 * 60_000

/** The build group CodeBuild adds to every batch: it downloads the source once for all builds. */
const DOWNLOAD_SOURCE = 'DOWNLOAD_SOURCE'

/**
 * The enums that requests may use, as the service model has them (StatusType,
 * SortOrderType, EnvironmentVariableType). The contract test checks them against the SDK's
 * own enums.
 * @type {Record<'StatusType' | 'SortOrderType' | 'EnvironmentVariableType', string[]>}
 */
export const REQUEST_ENUMS = {
  StatusType: ['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'IN_PROGRESS', 'STOPPED'],
  SortOrderType: ['ASCENDING', 'DESCENDING'],
  EnvironmentVariableType: ['PLAINTEXT', 'PARAMETER_STORE', 'SECRETS_MANAGER']
}

/**
 * @typedef {object} MemberRule
 * @property {'string' | 'integer' | 'list' | 'structure'} type
 * @property {boolean} [required]
 * @property {number} [min] least length of a string or list, least value of an integer
 * @property {number} [max] greatest length of a list, greatest value of an integer
 * @property {'StatusType' | 'SortOrderType' | 'EnvironmentVariableType'} [enum]
 * @property {MemberRule} [member] of a list
 * @property {Record<string, MemberRule>} [members] of a structure
 */

/**
 * What each request may hold, as the service model has it: the member types, which are
 * required, and their limits. The contract test checks these members and types against the
 * SDK's schema of each input.
 * @type {Record<string, Record<string, MemberRule>>}
 */
export const REQUEST_MEMBERS = {
  StopBuildBatch: { id: { type: 'string', required: true, min: 1 } },
  BatchGetBuildBatches: {
    ids: { type: 'list', required: true, min: 1, max: 100, member: { type: 'string', min: 1 } }
  },
  ListBuildBatchesForProject: {
    projectName: { type: 'string', min: 1 },
    filter: { type: 'structure', members: { status: { type: 'string', enum: 'StatusType' } } },
    maxResults: { type: 'integer', min: 1, max: 100 },
    sortOrder: { type: 'string', enum: 'SortOrderType' },
    nextToken: { type: 'string' }
  },
  // Only the members the endpoint uses; see PARTIAL_REQUEST_MEMBERS.
  StartBuildBatch: {
    projectName: { type: 'string', required: true, min: 1 },
    sourceVersion: { type: 'string' },
    environmentVariablesOverride: {
      type: 'list',
      member: {
        type: 'structure',
        members: {
          name: { type: 'string', required: true, min: 1 },
          value: { type: 'string', required: true },
          type: { type: 'string', enum: 'EnvironmentVariableType' }
        }
      }
    }
  }
}

/**
 * Operations whose rules above list only some members: StartBuildBatch has some thirty, mostly
 * overrides of the project's settings that a local batch has no use for. The endpoint checks
 * the members it reads and every required one, and ignores the others as it ignores members
 * the model does not know; the contract test checks that those it lists are the SDK's.
 */
export const PARTIAL_REQUEST_MEMBERS = ['StartBuildBatch']

/**
 * The build groups of the stop answer recorded from CodeBuild (the AWS CLI's
 * stop-build-batch example): the DOWNLOAD_SOURCE group, done, then three builds, the first
 * running and the others waiting for it.
 * @type {BuildSpec[]}
 */
export const RECORDED_BUILDS = [
  { identifier: DOWNLOAD_SOURCE, status: 'SUCCEEDED' },
  { identifier: 'linux_small', status: 'IN_PROGRESS' },
  { identifier: 'linux_medium', status: 'PENDING', dependsOn: ['linux_small'] },
  { identifier: 'linux_large', status: 'PENDING', dependsOn: ['linux_medium'] }
]

/**
 * @typedef {'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED'} BatchStatus
 * @typedef {'IN_PROGRESS' | 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED'} BuildStatus
 * @typedef {'SUBMITTED' | 'DOWNLOAD_BATCHSPEC' | 'IN_PROGRESS'} RunningPhase
 *
 * How a running batch answers a stop:
 * - 'stopped-at-once': the stop answer already says STOPPED and complete while the builds are
 *   still IN_PROGRESS or PENDING; they stop after `pollsToSettle` polls, or `stopSeconds`
 *   (the AWS CLI reference example shows this).
 * - 'gradual': the stop answer still says IN_PROGRESS, not complete; after `pollsToSettle`
 *   polls, or `stopSeconds`, the batch and its builds are STOPPED.
 * - 'never-settles': the batch says STOPPED, but its builds never stop.
 * @typedef {'stopped-at-once' | 'gradual' | 'never-settles'} StopBehaviour
 *
 * @typedef {object} BuildSpec
 * @property {string} identifier `DOWNLOAD_SOURCE` is the group CodeBuild adds, which has no
 *   `dependsOn` (RECORDED_BUILDS has it)
 * @property {BuildStatus} [status]
 * @property {string[]} [dependsOn]
 * @property {boolean} [ignoreFailure]
 * @property {BuildStatus[]} [priorStatuses] earlier attempts of the group (retries), oldest
 *   first, reported in `priorBuildSummaryList`
 *
 * @typedef {object} PhaseSpec
 * @property {string} phaseType
 * @property {string} [phaseStatus]
 * @property {Array<{statusCode?: string, message?: string}>} [contexts]
 *
 * @typedef {object} BatchSpec
 * @property {string} project
 * @property {string} [uuid]
 * @property {string} [region] default us-east-1
 * @property {string} [partition] default aws
 * @property {BatchStatus} [status] default IN_PROGRESS
 * @property {RunningPhase} [phase] where a running batch is, default IN_PROGRESS; in
 *   SUBMITTED and DOWNLOAD_BATCHSPEC it has no build groups and no resolved source version yet
 * @property {StopBehaviour} [stopBehaviour] default 'stopped-at-once'
 * @property {number} [pollsToSettle] default 2
 * @property {number} [stopSeconds] a stop takes this long, by the endpoint's clock, whatever
 *   the polls; `pollsToSettle` then does not apply
 * @property {number} [buildBatchNumber] default the next number of the project
 * @property {string | null} [sourceVersion] default refs/heads/main; null: none was given
 * @property {string | null} [resolvedSourceVersion] default a commit SHA once the batch is past
 *   DOWNLOAD_BATCHSPEC; null: not known (yet)
 * @property {string} [initiator]
 * @property {number} [startTime] epoch seconds
 * @property {number} [endTime] epoch seconds, of a finished batch; default startTime + 60
 * @property {Array<{name: string, value?: string, type?: string}>} [environmentVariables] the
 *   batch's environment variables as BatchGetBuildBatches reports them (overrides included)
 * @property {{type: string, location?: string}} [source] default a GitHub repository
 * @property {BuildSpec[]} [builds]
 * @property {PhaseSpec[]} [phases] extra phases, shown before the current one
 *
 * @typedef {'StopBuildBatch' | 'BatchGetBuildBatches' | 'ListBuildBatchesForProject' | 'StartBuildBatch'} Operation
 *
 * A fault applies to requests of `operation` (any when absent): to the first `count` of them,
 * or to each with probability `rate` (a seeded generator, so runs repeat), or to all.
 * - throttle: 400 ThrottlingException "Rate exceeded"
 * - server-error: `status` (default 500) InternalFailure
 * - reset: the connection is destroyed without an answer
 * - delay: the answer is sent after `delayMs` (added to any other fault)
 * - hang: nothing is answered for `delayMs` (default 120 s), then the connection is closed
 * - truncate: a 200 answer whose JSON body is cut in half
 * - deny: 400 AccessDeniedException, as IAM answers a role without the permission
 * @typedef {object} FaultRule
 * @property {'throttle' | 'server-error' | 'reset' | 'delay' | 'hang' | 'truncate' | 'deny'} kind
 * @property {Operation} [operation]
 * @property {number} [count]
 * @property {number} [rate]
 * @property {number} [delayMs]
 * @property {number} [status]
 * @property {string} [message] replaces the error message of deny and server-error
 *
 * @typedef {object} RecordedRequest
 * @property {string} operation
 * @property {any} body
 * @property {string} region
 * @property {boolean} signed the SigV4 signature was verified
 * @property {string} userAgent
 * @property {string | undefined} fault
 * @property {number} receivedAt milliseconds since the endpoint started (performance.now based)
 * @property {number} receivedAtEpochMs by the endpoint's clock (see clockOffsetMs)
 * @property {string} requestId the x-amzn-requestid of the answer ('' when none was sent)
 * @property {number} [status] the HTTP status of the answer, once sent
 * @property {string} [error] the error type of the answer, when it was an error
 *
 * Checks a response against the service's shapes (contract.mjs makes one from the SDK).
 * @typedef {object} Contract
 * @property {(operation: string, status: number, body: any) => string[]} checkResponse the
 *   problems found; none when the response is one CodeBuild could send
 *
 * @typedef {object} ContractViolation
 * @property {string} operation
 * @property {number} status
 * @property {string[]} problems
 *
 * @typedef {object} EndpointOptions
 * @property {BatchSpec[]} [batches]
 * @property {Array<string | {name: string, region?: string}>} [projects] projects that exist
 *   besides those of the batches (region default us-east-1)
 * @property {FaultRule[]} [faults]
 * @property {number} [seed] for the fault generator
 * @property {'final-status' | 'invalid-input'} [finishedStopAnswer] how a stop of a finished
 *   batch is answered: with its final state (what the user guide documents) or with
 *   InvalidInputException (design for both, CODEBUILD.md)
 * @property {'resource-not-found' | 'invalid-input'} [notFoundAnswer]
 * @property {Record<string, string>} [credentials] access key id to secret key
 * @property {number} [latencyMs] added to every answer
 * @property {number} [clockOffsetMs] the endpoint's clock runs this far ahead of this
 *   machine's (behind when negative): batch times, the Date header and the signing-time check
 *   follow it, as CodeBuild's clock would
 * @property {Contract} [contract] checks every response before it is sent; problems are kept
 *   in `contractViolations`
 */

/**
 * @param {EndpointOptions} [options]
 */
export function createLocalCodeBuild(options = {}) {
  /** @type {Map<string, any>} region/id to batch state */
  const batches = new Map()
  /** @type {RecordedRequest[]} */
  const requests = []
  /** @type {ContractViolation[]} */
  const contractViolations = []
  /** @type {FaultRule[]} */
  let faults = (options.faults ?? []).map((rule) => ({ ...rule }))
  const credentials = options.credentials ?? { [LOCAL_ACCESS_KEY_ID]: LOCAL_SECRET_ACCESS_KEY }
  const random = seededRandom(options.seed ?? 42)
  const startedAt = performance.now()
  const clockOffsetMs = options.clockOffsetMs ?? 0
  /** The endpoint's clock, in epoch milliseconds. */
  const nowMs = () => Date.now() + clockOffsetMs
  /** The endpoint's clock, in epoch seconds, as CodeBuild's times are. */
  const nowSeconds = () => nowMs() / 1000
  /** @type {Set<string>} region/project of every project that exists */
  const projects = new Set()
  /** @type {Map<string, number>} region/project to its last build batch number */
  const batchNumbers = new Map()
  let order = 0
  /** @type {Set<import('node:http').ServerResponse>} */
  const hanging = new Set()
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set()

  /** @param {string} name @param {string} [region] */
  function addProject(name, region = 'us-east-1') {
    projects.add(`${region}/${name}`)
  }
  for (const project of options.projects ?? []) {
    if (typeof project === 'string') addProject(project)
    else addProject(project.name, project.region)
  }

  /** @param {BatchSpec} spec */
  function addBatch(spec) {
    const region = spec.region ?? 'us-east-1'
    const key = `${region}/${spec.project}`
    // CodeBuild counts batches per project: 1, 2, 3, ...
    const number = spec.buildBatchNumber ?? (batchNumbers.get(key) ?? 0) + 1
    batchNumbers.set(key, Math.max(batchNumbers.get(key) ?? 0, number))
    addProject(spec.project, region)
    const batch = newBatch(spec, number, ++order)
    batches.set(`${batch.region}/${batch.state.id}`, batch)
    return batch.state.id
  }
  for (const spec of options.batches ?? []) addBatch(spec)

  const server = createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error) => {
        if (!res.headersSent) sendJson(res, 500, { __type: 'InternalFailure', message: String(error) }, nowMs())
      })
    })
  })

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {Buffer} body
   */
  async function handle(req, res, body) {
    const target = String(req.headers['x-amz-target'] ?? '')
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target
    const auth = verifySignature(req, body, credentials, nowMs())
    let parsed
    try {
      parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
    } catch {
      parsed = undefined
    }
    /** @type {RecordedRequest} */
    const record = {
      operation,
      body: parsed,
      region: auth.region,
      signed: auth.ok,
      userAgent: String(req.headers['x-amz-user-agent'] ?? req.headers['user-agent'] ?? ''),
      fault: undefined,
      receivedAt: performance.now() - startedAt,
      receivedAtEpochMs: nowMs(),
      requestId: ''
    }
    requests.push(record)

    /** Sends an answer, after checking it against the contract. @param {number} status @param {any} answer */
    const respond = (status, answer) => {
      check(operation, status, answer)
      record.status = status
      if (typeof answer?.__type === 'string') record.error = answer.__type
      record.requestId = randomUUID()
      sendJson(res, status, answer, nowMs(), record.requestId)
    }

    let delayMs = options.latencyMs ?? 0
    const fault = pickFault(operation)
    for (const rule of fault.delays) delayMs += rule.delayMs ?? 0
    if (fault.rule !== undefined) record.fault = fault.rule.kind
    else if (fault.delays.length > 0) record.fault = 'delay'
    if (delayMs > 0) await sleep(delayMs)

    if (fault.rule?.kind === 'hang') {
      hanging.add(res)
      await sleep(fault.rule.delayMs ?? 120_000)
      hanging.delete(res)
      res.socket?.destroy()
      return
    }
    if (fault.rule?.kind === 'reset') {
      res.socket?.destroy()
      return
    }
    if (fault.rule?.kind === 'throttle') {
      return respond(400, { __type: 'ThrottlingException', message: 'Rate exceeded' })
    }
    if (fault.rule?.kind === 'deny') {
      return respond(400, {
        __type: 'AccessDeniedException',
        message: fault.rule.message ?? `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/ci/session is not authorized to perform: codebuild:${operation} on resource: arn:aws:codebuild:${auth.region}:${LOCAL_ACCOUNT}:project/* because no identity-based policy allows the codebuild:${operation} action`
      })
    }
    if (fault.rule?.kind === 'server-error') {
      const status = fault.rule.status ?? 500
      return respond(status, {
        __type: status === 503 ? 'ServiceUnavailableException' : 'InternalFailure',
        message: fault.rule.message ?? 'We encountered an internal error. Please try again.'
      })
    }

    if (!auth.ok) {
      return respond(400, { __type: auth.errorType, message: auth.message })
    }
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return respond(400, { __type: 'SerializationException', message: 'Request body is not a JSON object' })
    }
    const answer = dispatch(operation, parsed, auth.region)
    if (fault.rule?.kind === 'truncate' && answer.status === 200) {
      // The endpoint meant to send the whole answer: that is what the contract judges.
      check(operation, answer.status, answer.body)
      record.status = 200
      const text = JSON.stringify(answer.body)
      record.requestId = randomUUID()
      return sendRaw(res, 200, text.slice(0, Math.floor(text.length / 2)), nowMs(), undefined, record.requestId)
    }
    return respond(answer.status, answer.body)
  }

  /** @param {string} operation @param {number} status @param {any} body */
  function check(operation, status, body) {
    if (options.contract === undefined) return
    const problems = options.contract.checkResponse(operation, status, body)
    if (problems.length > 0) contractViolations.push({ operation, status, problems })
  }

  /** @param {string} operation */
  function pickFault(operation) {
    /** @type {FaultRule[]} */
    const delays = []
    /** @type {FaultRule | undefined} */
    let picked
    for (const rule of faults) {
      if (rule.operation !== undefined && rule.operation !== operation) continue
      // One request gets at most one fault besides delays; later rules keep their count.
      if (rule.kind !== 'delay' && picked !== undefined) continue
      let fires
      if (rule.count !== undefined) {
        fires = rule.count > 0
        if (fires) rule.count--
      } else if (rule.rate !== undefined) {
        fires = random() < rule.rate
      } else {
        fires = true
      }
      if (!fires) continue
      if (rule.kind === 'delay') delays.push(rule)
      else if (picked === undefined) picked = rule
    }
    return { rule: picked, delays }
  }

  /**
   * @param {string} operation
   * @param {any} input
   * @param {string} region
   * @returns {{status: number, body: any}}
   */
  function dispatch(operation, input, region) {
    const rules = REQUEST_MEMBERS[operation]
    if (rules === undefined) return error('UnknownOperationException', `Unknown operation ${operation}`)
    const invalid = validationErrors(input, rules, '')
    if (invalid.length > 0) {
      const count = invalid.length === 1 ? '1 validation error' : `${invalid.length} validation errors`
      return error('InvalidInputException', `${count} detected: ${invalid.join('; ')}`)
    }
    switch (operation) {
      case 'StopBuildBatch':
        return stopBuildBatch(input, region)
      case 'BatchGetBuildBatches':
        return batchGetBuildBatches(input, region)
      case 'StartBuildBatch':
        return startBuildBatch(input, region)
      default:
        return listBuildBatchesForProject(input, region)
    }
  }

  /** @param {any} input @param {string} region */
  function stopBuildBatch(input, region) {
    const batch = batches.get(`${region}/${input.id}`)
    if (batch === undefined) {
      return options.notFoundAnswer === 'invalid-input'
        ? error('InvalidInputException', `Build batch ${input.id} does not exist`)
        : error('ResourceNotFoundException', `Build batch ${input.id} not found`)
    }
    refresh(batch)
    if (batch.stopRequested) return ok({ buildBatch: batch.state })
    if (batch.state.complete) {
      if (options.finishedStopAnswer === 'invalid-input') {
        return error('InvalidInputException', `Build batch ${input.id} is already complete`)
      }
      return ok({ buildBatch: batch.state })
    }
    requestStop(batch)
    return ok({ buildBatch: batch.state })
  }

  /** @param {any} input @param {string} region */
  function batchGetBuildBatches(input, region) {
    const found = []
    const notFound = []
    for (const id of input.ids) {
      const batch = batches.get(`${region}/${id}`)
      if (batch === undefined) {
        notFound.push(id)
        continue
      }
      refresh(batch)
      advance(batch)
      found.push(batch.state)
    }
    return ok({ buildBatches: found, buildBatchesNotFound: notFound })
  }

  /** @param {any} input @param {string} region */
  function listBuildBatchesForProject(input, region) {
    if (input.projectName !== undefined && !projects.has(`${region}/${input.projectName}`)) {
      return error('ResourceNotFoundException', `The project ${input.projectName} does not exist`)
    }
    const maxResults = input.maxResults ?? 100
    const inRegion = [...batches.values()].filter((batch) => batch.region === region)
    for (const batch of inRegion) refresh(batch)
    const matching = inRegion
      .filter((batch) => input.projectName === undefined || batch.state.projectName === input.projectName)
      .filter((batch) => input.filter?.status === undefined || batch.state.buildBatchStatus === input.filter.status)
      .sort((a, b) => a.state.startTime - b.state.startTime || a.order - b.order)
    if (input.sortOrder !== 'ASCENDING') matching.reverse()
    const offset = input.nextToken === undefined ? 0 : Number(Buffer.from(input.nextToken, 'base64url').toString())
    if (!Number.isInteger(offset) || offset < 0) {
      return error('InvalidInputException', 'Invalid next token')
    }
    const page = matching.slice(offset, offset + maxResults)
    const next = offset + maxResults < matching.length ? Buffer.from(String(offset + maxResults)).toString('base64url') : undefined
    return ok({ ids: page.map((batch) => batch.state.id), ...(next === undefined ? {} : { nextToken: next }) })
  }

  /**
   * Starts a batch of a project that exists, now by the endpoint's clock, with the source
   * version and the environment variable overrides given, as CodeBuild records them. Like a
   * batch CodeBuild has just accepted, it is SUBMITTED: no build groups and no resolved
   * commit yet.
   * @param {any} input @param {string} region
   */
  function startBuildBatch(input, region) {
    if (!projects.has(`${region}/${input.projectName}`)) {
      return error('ResourceNotFoundException', `Project cannot be found: arn:aws:codebuild:${region}:${LOCAL_ACCOUNT}:project/${input.projectName}`)
    }
    const id = addBatch({
      project: input.projectName,
      region,
      phase: 'SUBMITTED',
      sourceVersion: input.sourceVersion ?? null,
      initiator: LOCAL_INITIATOR,
      startTime: nowSeconds(),
      environmentVariables: input.environmentVariablesOverride ?? []
    })
    return ok({ buildBatch: batches.get(`${region}/${id}`).state })
  }

  /** @param {any} batch */
  function requestStop(batch) {
    batch.stopRequested = true
    const now = nowSeconds()
    batch.stopRequestedAt = now
    const phases = batch.state.phases
    endPhase(phases[phases.length - 1], now, 'STOPPED')
    if (batch.stopBehaviour === 'gradual') return
    finishBatch(batch, now)
  }

  /** @param {any} batch @param {number} at epoch seconds */
  function finishBatch(batch, at) {
    const state = batch.state
    state.buildBatchStatus = 'STOPPED'
    state.currentPhase = 'STOPPED'
    state.complete = true
    state.endTime = at
    // The terminal phase has only its start time, as CodeBuild reports it.
    state.phases.push({ phaseType: 'STOPPED', startTime: at })
  }

  /**
   * Brings a batch up to the endpoint's clock: a batch given `stopSeconds` has settled once
   * that long has passed since its stop.
   * @param {any} batch
   */
  function refresh(batch) {
    if (batch.stopSeconds === undefined || !batch.stopRequested || batch.settled) return
    if (batch.stopBehaviour === 'never-settles') return
    const settleAt = batch.stopRequestedAt + batch.stopSeconds
    if (nowSeconds() >= settleAt) settle(batch, settleAt)
  }

  /** A poll moves a stopping batch one step towards settled (unless time decides). @param {any} batch */
  function advance(batch) {
    if (batch.stopSeconds !== undefined) return
    if (!batch.stopRequested || batch.settled || batch.stopBehaviour === 'never-settles') return
    batch.pollsLeft--
    if (batch.pollsLeft > 0) return
    settle(batch, nowSeconds())
  }

  /** @param {any} batch @param {number} at epoch seconds */
  function settle(batch, at) {
    batch.settled = true
    if (!batch.state.complete) finishBatch(batch, at)
    for (const group of batch.state.buildGroups ?? []) {
      const summary = group.currentBuildSummary
      if (summary.buildStatus === 'IN_PROGRESS' || summary.buildStatus === 'PENDING') {
        summary.buildStatus = 'STOPPED'
        Object.assign(summary, artifactsOf(group.identifier))
      }
    }
  }

  /** @param {BatchSpec} spec @param {number} number @param {number} position */
  function newBatch(spec, number, position) {
    const region = spec.region ?? 'us-east-1'
    const partition = spec.partition ?? 'aws'
    const id = `${spec.project}:${spec.uuid ?? randomUUID()}`
    const arnPrefix = `arn:${partition}:codebuild:${region}:${LOCAL_ACCOUNT}`
    const status = spec.status ?? 'IN_PROGRESS'
    const running = status === 'IN_PROGRESS'
    const phase = running ? (spec.phase ?? 'IN_PROGRESS') : undefined
    const beforeBuilds = phase === 'SUBMITTED' || phase === 'DOWNLOAD_BATCHSPEC'
    if (beforeBuilds && spec.builds !== undefined) {
      throw new Error(`a batch in ${phase} has no build groups yet: leave out builds`)
    }
    const startTime = spec.startTime ?? Math.floor(nowSeconds()) - 120
    const endTime = running ? undefined : (spec.endTime ?? startTime + 60)
    const phases = phasesOf(spec, status, phase, startTime, endTime, nowSeconds())
    const builds = beforeBuilds
      ? undefined
      : (spec.builds ?? [
          { identifier: 'build1', status: running ? 'IN_PROGRESS' : 'SUCCEEDED' },
          { identifier: 'build2', status: running ? 'IN_PROGRESS' : 'SUCCEEDED' },
          { identifier: 'build3', status: running ? 'PENDING' : 'SUCCEEDED', dependsOn: ['build1'] }
        ])
    const buildsStartAt = phases.find((entry) => entry.phaseType === 'IN_PROGRESS')?.startTime ?? startTime
    /** @param {BuildStatus} buildStatus @param {string} identifier @param {number} requestedOn */
    const summaryOf = (buildStatus, identifier, requestedOn) => ({
      arn: `${arnPrefix}:build/${spec.project}:${randomUUID()}`,
      requestedOn,
      buildStatus,
      ...(isRunningBuild(buildStatus) ? {} : artifactsOf(identifier))
    })
    const resolvedSourceVersion =
      spec.resolvedSourceVersion === null || (spec.resolvedSourceVersion === undefined && beforeBuilds)
        ? undefined
        : (spec.resolvedSourceVersion ?? '0123456789abcdef0123456789abcdef01234567')
    const sourceVersion = spec.sourceVersion === null ? undefined : (spec.sourceVersion ?? 'refs/heads/main')
    return {
      region,
      order: position,
      stopBehaviour: spec.stopBehaviour ?? 'stopped-at-once',
      pollsLeft: spec.pollsToSettle ?? 2,
      stopSeconds: spec.stopSeconds,
      stopRequested: false,
      stopRequestedAt: 0,
      settled: false,
      // The members in the order of the recorded responses.
      state: {
        id,
        arn: `${arnPrefix}:build-batch/${id}`,
        startTime,
        ...(endTime === undefined ? {} : { endTime }),
        currentPhase: phases[phases.length - 1].phaseType,
        buildBatchStatus: status,
        ...(sourceVersion === undefined ? {} : { sourceVersion }),
        ...(resolvedSourceVersion === undefined ? {} : { resolvedSourceVersion }),
        projectName: spec.project,
        phases,
        source: spec.source ?? {
          type: 'GITHUB',
          location: 'https://github.com/example/app.git',
          gitCloneDepth: 1,
          gitSubmodulesConfig: { fetchSubmodules: false },
          reportBuildStatus: false,
          insecureSsl: false
        },
        secondarySources: [],
        secondarySourceVersions: [],
        artifacts: { location: '' },
        secondaryArtifacts: [],
        cache: { type: 'NO_CACHE' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/amazonlinux2-x86_64-standard:3.0',
          computeType: 'BUILD_GENERAL1_SMALL',
          environmentVariables: (spec.environmentVariables ?? []).map((variable) => ({ type: 'PLAINTEXT', ...variable })),
          privilegedMode: false,
          imagePullCredentialsType: 'CODEBUILD'
        },
        logConfig: { cloudWatchLogs: { status: 'ENABLED' }, s3Logs: { status: 'DISABLED', encryptionDisabled: false } },
        buildTimeoutInMinutes: 60,
        queuedTimeoutInMinutes: 480,
        complete: !running,
        initiator: spec.initiator ?? 'GitHub-Hookshot/local',
        encryptionKey: `arn:${partition}:kms:${region}:${LOCAL_ACCOUNT}:alias/aws/s3`,
        buildBatchNumber: number,
        buildBatchConfig: {
          serviceRole: `arn:${partition}:iam::${LOCAL_ACCOUNT}:role/service-role/${spec.project}`,
          restrictions: { maximumBuildsAllowed: 100 },
          timeoutInMins: 480
        },
        ...(builds === undefined
          ? {}
          : {
              buildGroups: builds.map((build, index) => {
                const buildStatus = build.status ?? (running ? 'IN_PROGRESS' : status)
                const downloadsSource = build.identifier === DOWNLOAD_SOURCE
                // The source download is requested with the batch; the builds once the batch spec is read.
                const requestedOn = downloadsSource ? startTime + 0.728 : buildsStartAt + 0.25 + index * 0.1
                const prior = build.priorStatuses ?? []
                return {
                  identifier: build.identifier,
                  ...(downloadsSource && build.dependsOn === undefined ? {} : { dependsOn: build.dependsOn ?? [] }),
                  ignoreFailure: build.ignoreFailure ?? false,
                  currentBuildSummary: summaryOf(buildStatus, build.identifier, requestedOn + prior.length * 30),
                  ...(prior.length === 0
                    ? {}
                    : {
                        priorBuildSummaryList: prior.map((priorStatus, attempt) =>
                          summaryOf(priorStatus, build.identifier, requestedOn + attempt * 30)
                        )
                      })
                }
              })
            })
      }
    }
  }

  /** @param {number} ms */
  function sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve(undefined)
      }, ms)
      timers.add(timer)
    })
  }

  return {
    /** Every request received, in order. */
    requests,
    /** Every response that broke the contract (see EndpointOptions.contract). */
    contractViolations,
    /**
     * Starts listening on 127.0.0.1 and resolves to the endpoint URL.
     * @param {number} [port] 0 (the default) picks a free port
     * @returns {Promise<string>}
     */
    listen(port = 0) {
      return new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, '127.0.0.1', () => {
          const address = server.address()
          if (address === null || typeof address === 'string') return reject(new Error('no address'))
          resolve(`http://127.0.0.1:${address.port}`)
        })
      })
    },
    /** Closes the endpoint, its connections and any hung request at once. */
    close() {
      for (const timer of timers) clearTimeout(timer)
      for (const res of hanging) res.socket?.destroy()
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve(undefined)))
    },
    addBatch,
    /** Makes a project exist without any batch. */
    addProject,
    /** The current state of a batch as CodeBuild would answer it. @param {string} id @param {string} [region] */
    batch(id, region = 'us-east-1') {
      const batch = batches.get(`${region}/${id}`)
      if (batch !== undefined) refresh(batch)
      return batch?.state
    },
    /** Replaces the fault rules. @param {FaultRule[]} rules */
    setFaults(rules) {
      faults = rules.map((rule) => ({ ...rule }))
    },
    /** Requests of one operation. @param {string} operation */
    requestsOf(operation) {
      return requests.filter((request) => request.operation === operation)
    }
  }
}

/**
 * The phases of a new batch, timed as in the recorded responses (the batch spec took 31.5 s
 * to download), but never past the batch's end, nor, for a running batch, past now: a batch
 * started a second ago that is already IN_PROGRESS went through its first phases at once. A
 * finished batch ends with its terminal phase, which has only a start time.
 * @param {BatchSpec} spec
 * @param {BatchStatus} status
 * @param {RunningPhase | undefined} phase
 * @param {number} startTime
 * @param {number | undefined} endTime
 * @param {number} now epoch seconds, by the endpoint's clock
 */
function phasesOf(spec, status, phase, startTime, endTime, now) {
  const last = endTime ?? Math.max(startTime, now)
  const submittedEnd = Math.min(startTime + 0.299, last)
  const batchSpecEnd = Math.min(startTime + 31.843, last)
  /** @type {any[]} */
  const phases = [{ phaseType: 'SUBMITTED', startTime }]
  if (phase === 'SUBMITTED') return phases
  endPhase(phases[0], submittedEnd, 'SUCCEEDED')
  phases.push({ phaseType: 'DOWNLOAD_BATCHSPEC', startTime: submittedEnd })
  if (phase === 'DOWNLOAD_BATCHSPEC') return phases
  endPhase(phases[1], batchSpecEnd, 'SUCCEEDED')
  phases.push(...(spec.phases ?? []).map((extra) => ({ startTime: batchSpecEnd, ...extra })))
  const inProgress = { phaseType: 'IN_PROGRESS', startTime: batchSpecEnd }
  phases.push(inProgress)
  if (endTime === undefined) return phases
  if (status === 'SUCCEEDED') {
    // A batch that succeeded combines the artifacts of its builds last.
    const combineStart = Math.max(batchSpecEnd, endTime - 0.033)
    endPhase(inProgress, combineStart, 'SUCCEEDED')
    const combine = { phaseType: 'COMBINE_ARTIFACTS', startTime: combineStart }
    endPhase(combine, endTime, 'SUCCEEDED')
    phases.push(combine)
  } else {
    endPhase(inProgress, endTime, status)
  }
  phases.push({ phaseType: terminalPhaseOf(status), startTime: endTime })
  return phases
}

/**
 * The terminal phase of a finished batch. The model's phase types have SUCCEEDED, FAILED and
 * STOPPED only, so a batch that faulted or timed out ends in FAILED (its IN_PROGRESS phase
 * carries FAULT or TIMED_OUT).
 * @param {BatchStatus} status
 */
function terminalPhaseOf(status) {
  return status === 'SUCCEEDED' || status === 'STOPPED' ? status : 'FAILED'
}

/**
 * Ends a phase. CodeBuild truncates the duration to whole seconds (31.544 s shows as 31 in the
 * recorded responses).
 * @param {any} phase @param {number} at epoch seconds @param {string} status
 */
function endPhase(phase, at, status) {
  phase.phaseStatus = status
  phase.endTime = at
  phase.durationInSeconds = Math.max(0, Math.floor(at - phase.startTime))
}

/** @param {string} status */
function isRunningBuild(status) {
  return status === 'IN_PROGRESS' || status === 'PENDING'
}

/**
 * What the summary of a finished build adds, as recorded: its artifact (a project without
 * artifacts reports `no_artifacts`, in lower case) and no secondary ones.
 * @param {string} identifier
 */
function artifactsOf(identifier) {
  return { primaryArtifact: { type: 'no_artifacts', identifier }, secondaryArtifacts: [] }
}

/**
 * What is wrong with a request's members, in the words AWS's validation uses. Members the
 * model does not know are ignored, as the service does.
 * @param {any} value
 * @param {Record<string, MemberRule>} rules
 * @param {string} prefix
 * @returns {string[]}
 */
function validationErrors(value, rules, prefix) {
  /** @type {string[]} */
  const errors = []
  for (const [name, rule] of Object.entries(rules)) {
    const path = `${prefix}${name}`
    const member = value[name]
    if (member === undefined || member === null) {
      if (rule.required === true) errors.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`)
      continue
    }
    errors.push(...memberErrors(member, rule, path))
  }
  return errors
}

/** @param {any} value @param {MemberRule} rule @param {string} path @returns {string[]} */
function memberErrors(value, rule, path) {
  const shown = JSON.stringify(value)
  const fail = (/** @type {string} */ constraint) => [`Value '${shown}' at '${path}' failed to satisfy constraint: Member must ${constraint}`]
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') return fail('be a string')
      if (rule.min !== undefined && value.length < rule.min) return fail(`have length greater than or equal to ${rule.min}`)
      if (rule.enum !== undefined && !REQUEST_ENUMS[rule.enum].includes(value)) {
        return fail(`satisfy enum value set: [${REQUEST_ENUMS[rule.enum].join(', ')}]`)
      }
      return []
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('be an integer')
      if (rule.min !== undefined && value < rule.min) return fail(`have value greater than or equal to ${rule.min}`)
      if (rule.max !== undefined && value > rule.max) return fail(`have value less than or equal to ${rule.max}`)
      return []
    case 'list': {
      if (!Array.isArray(value)) return fail('be a list')
      if (rule.min !== undefined && value.length < rule.min) return fail(`have length greater than or equal to ${rule.min}`)
      if (rule.max !== undefined && value.length > rule.max) return fail(`have length less than or equal to ${rule.max}`)
      const member = rule.member
      return member === undefined ? [] : value.flatMap((item, index) => memberErrors(item, member, `${path}.${index + 1}.member`))
    }
    case 'structure':
      if (typeof value !== 'object' || Array.isArray(value)) return fail('be a structure')
      return validationErrors(value, rule.members ?? {}, `${path}.`)
    default:
      return []
  }
}

/** @param {number} status @param {any} body @returns {{status: number, body: any}} */
function ok(body, status = 200) {
  return { status, body }
}

/** @param {string} type @param {string} message */
function error(type, message) {
  return { status: 400, body: { __type: type, message } }
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {any} body
 * @param {number} nowMs the endpoint's clock, for the Date header
 * @param {string} [requestId]
 */
function sendJson(res, status, body, nowMs, requestId = randomUUID()) {
  sendRaw(res, status, JSON.stringify(body), nowMs, typeof body?.__type === 'string' ? body.__type : undefined, requestId)
}

/**
 * Every answer carries a Date header by the endpoint's clock, as AWS's do: the SDK reads it
 * to correct its signing clock when the machine's clock is off.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} text
 * @param {number} nowMs
 * @param {string} [errorType]
 * @param {string} [requestId]
 */
function sendRaw(res, status, text, nowMs, errorType, requestId = randomUUID()) {
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    date: new Date(nowMs).toUTCString(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType })
  })
  res.end(text)
}

/**
 * Verifies an AWS Signature Version 4 `Authorization` header the way AWS does: rebuilds the
 * canonical request from the method, path, query, signed headers and body hash, derives the
 * signing key from the secret of the access key named in the credential scope, and compares;
 * then refuses a signing time more than five minutes from `nowMs`, in AWS's words.
 * @param {import('node:http').IncomingMessage} req
 * @param {Buffer} body
 * @param {Record<string, string>} credentials
 * @param {number} [nowMs] the verifier's clock, epoch milliseconds
 */
export function verifySignature(req, body, credentials, nowMs = Date.now()) {
  const header = String(req.headers.authorization ?? '')
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      header
    )
  if (match === null) {
    return {
      ok: false,
      region: 'unknown',
      errorType: 'MissingAuthenticationTokenException',
      message: 'Missing or malformed SigV4 Authorization header'
    }
  }
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match
  const secret = credentials[accessKeyId]
  if (secret === undefined) {
    return {
      ok: false,
      region,
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.'
    }
  }
  const amzDate = String(req.headers['x-amz-date'] ?? '')
  const url = new URL(req.url ?? '/', 'http://local')
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('')
  const query = [...url.searchParams.entries()]
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .sort()
    .join('&')
  // The hash the client declares must be the hash of the body that arrived: the signature
  // covers only the declared hash.
  const payloadHash = sha256(body)
  const declaredHash = req.headers['x-amz-content-sha256']
  if (declaredHash !== undefined && declaredHash !== payloadHash) {
    return {
      ok: false,
      region,
      errorType: 'InvalidSignatureException',
      message: 'The provided x-amz-content-sha256 header does not match what was computed.'
    }
  }
  const canonicalRequest = [req.method, url.pathname, query, canonicalHeaders, signedHeaders, payloadHash].join('\n')
  const scope = `${date}/${region}/${service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n')
  let key = hmac(`AWS4${secret}`, date)
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part)
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex')
  if (expected !== signature || service !== 'codebuild') {
    return {
      ok: false,
      region,
      errorType: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided.'
    }
  }
  const signedAt = parseAmzDate(amzDate)
  if (Number.isNaN(signedAt) || nowMs - signedAt > SIGNATURE_WINDOW_MS) {
    return {
      ok: false,
      region,
      errorType: 'InvalidSignatureException',
      message: `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(nowMs - SIGNATURE_WINDOW_MS)} (${formatAmzDate(nowMs)} - 5 min.)`
    }
  }
  if (signedAt - nowMs > SIGNATURE_WINDOW_MS) {
    return {
      ok: false,
      region,
      errorType: 'InvalidSignatureException',
      message: `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(nowMs + SIGNATURE_WINDOW_MS)} (${formatAmzDate(nowMs)} + 5 min.)`
    }
  }
  return { ok: true, region, errorType: '', message: '' }
}

/** `20201021T165424Z` to epoch milliseconds (NaN when malformed). @param {string} value */
function parseAmzDate(value) {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (match === null) return Number.NaN
  const [, year, month, day, hour, minute, second] = match.map(Number)
  return Date.UTC(year, month - 1, day, hour, minute, second)
}

/** Epoch milliseconds as `20201021T165424Z`. @param {number} ms */
function formatAmzDate(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/** @param {string | Buffer} data */
function sha256(data) {
  return createHash('sha256').update(data).digest('hex')
}

/** @param {string | Buffer} key @param {string} data */
function hmac(key, data) {
  return createHmac('sha256', key).update(data).digest()
}

/** mulberry32: a small seeded generator, so that fault injection repeats run after run. */
function seededRandom(seed = 42) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
