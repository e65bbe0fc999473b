// A local CodeBuild endpoint for the end-to-end tests, the benchmark and the demo.
//
// It speaks the CodeBuild JSON 1.1 protocol over plain HTTP for the three operations the
// action uses (StopBuildBatch, BatchGetBuildBatches, ListBuildBatchesForProject), and
// StartBuildBatch for the README's workflow, so that
// the real AWS SDK, pointed at it with AWS_ENDPOINT_URL_CODEBUILD, talks to it exactly as it
// talks to CodeBuild. It verifies each request's SigV4 signature, holds scenario batches
// whose state advances as they are polled, records every request, and injects faults
// (throttling, 5xx answers, connection resets, delays, hung requests, truncated bodies).
//
// Plain JavaScript with JSDoc types and Node built-ins only: `npm run demo` runs it on a
// fresh clone before anything is installed.
import { createHash, createHmac, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'

export const LOCAL_ACCESS_KEY_ID = 'AKIALOCALCODEBUILD01'
export const LOCAL_SECRET_ACCESS_KEY = 'local-codebuild-secret-key-for-tests-only'
export const LOCAL_ACCOUNT = '123456789012'

const TARGET_PREFIX = 'CodeBuild_20161006.'
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1'

/**
 * @typedef {'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED'} BatchStatus
 * @typedef {'IN_PROGRESS' | 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED'} BuildStatus
 *
 * How a running batch answers a stop:
 * - 'stopped-at-once': the stop answer already says STOPPED and complete while the builds are
 *   still IN_PROGRESS or PENDING; they stop after `pollsToSettle` polls (the AWS CLI
 *   reference example shows this).
 * - 'gradual': the stop answer still says IN_PROGRESS, not complete; after `pollsToSettle`
 *   polls the batch and its builds are STOPPED.
 * - 'never-settles': the batch says STOPPED, but its builds never stop.
 * @typedef {'stopped-at-once' | 'gradual' | 'never-settles'} StopBehaviour
 *
 * @typedef {object} BuildSpec
 * @property {string} identifier
 * @property {BuildStatus} [status]
 * @property {string[]} [dependsOn]
 * @property {boolean} [ignoreFailure]
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
 * @property {StopBehaviour} [stopBehaviour] default 'stopped-at-once'
 * @property {number} [pollsToSettle] default 2
 * @property {number} [buildBatchNumber]
 * @property {string} [sourceVersion]
 * @property {string} [resolvedSourceVersion]
 * @property {string} [initiator]
 * @property {number} [startTime] epoch seconds
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
 * @property {number} receivedAtEpochMs
 * @property {string} requestId the x-amzn-requestid of the answer ('' when none was sent)
 *
 * @typedef {object} EndpointOptions
 * @property {BatchSpec[]} [batches]
 * @property {FaultRule[]} [faults]
 * @property {number} [seed] for the fault generator
 * @property {'final-status' | 'invalid-input'} [finishedStopAnswer] how a stop of a finished
 *   batch is answered: with its final state (what the user guide documents) or with
 *   InvalidInputException (design for both, CODEBUILD.md)
 * @property {'resource-not-found' | 'invalid-input'} [notFoundAnswer]
 * @property {Record<string, string>} [credentials] access key id to secret key
 * @property {number} [latencyMs] added to every answer
 */

/**
 * @param {EndpointOptions} [options]
 */
export function createLocalCodeBuild(options = {}) {
  /** @type {Map<string, any>} region/id to batch state */
  const batches = new Map()
  /** @type {RecordedRequest[]} */
  const requests = []
  /** @type {FaultRule[]} */
  let faults = (options.faults ?? []).map((rule) => ({ ...rule }))
  const credentials = options.credentials ?? { [LOCAL_ACCESS_KEY_ID]: LOCAL_SECRET_ACCESS_KEY }
  const random = seededRandom(options.seed ?? 42)
  const startedAt = performance.now()
  let batchNumber = 0
  /** @type {Set<import('node:http').ServerResponse>} */
  const hanging = new Set()
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set()

  /** @param {BatchSpec} spec */
  function addBatch(spec) {
    const batch = newBatch(spec, ++batchNumber)
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
        if (!res.headersSent) sendJson(res, 500, { __type: 'InternalFailure', message: String(error) })
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
    const auth = verifySignature(req, body, credentials)
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
      receivedAtEpochMs: Date.now(),
      requestId: ''
    }
    /** @param {number} status @param {any} answer */
    const send = (status, answer) => {
      record.requestId = randomUUID()
      sendJson(res, status, answer, record.requestId)
    }
    requests.push(record)

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
      return send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' })
    }
    if (fault.rule?.kind === 'deny') {
      return send(400, {
        __type: 'AccessDeniedException',
        message: fault.rule.message ?? `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/ci/session is not authorized to perform: codebuild:${operation} on resource: arn:aws:codebuild:${auth.region}:${LOCAL_ACCOUNT}:project/* because no identity-based policy allows the codebuild:${operation} action`
      })
    }
    if (fault.rule?.kind === 'server-error') {
      const status = fault.rule.status ?? 500
      return send(status, {
        __type: status === 503 ? 'ServiceUnavailableException' : 'InternalFailure',
        message: fault.rule.message ?? 'We encountered an internal error. Please try again.'
      })
    }

    if (!auth.ok) {
      return send(400, { __type: auth.errorType, message: auth.message })
    }
    if (parsed === undefined) {
      return send(400, { __type: 'SerializationException', message: 'Request body is not valid JSON' })
    }
    const answer = dispatch(operation, parsed, auth.region)
    if (fault.rule?.kind === 'truncate' && answer.status === 200) {
      const text = JSON.stringify(answer.body)
      record.requestId = randomUUID()
      return sendRaw(res, 200, text.slice(0, Math.floor(text.length / 2)), undefined, record.requestId)
    }
    return send(answer.status, answer.body)
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
    switch (operation) {
      case 'StopBuildBatch':
        return stopBuildBatch(input, region)
      case 'BatchGetBuildBatches':
        return batchGetBuildBatches(input, region)
      case 'ListBuildBatchesForProject':
        return listBuildBatchesForProject(input, region)
      case 'StartBuildBatch':
        return startBuildBatch(input, region)
      default:
        return error('UnknownOperationException', `Unknown operation ${operation}`)
    }
  }

  /** @param {any} input @param {string} region */
  function stopBuildBatch(input, region) {
    if (typeof input.id !== 'string' || input.id === '') {
      return error('InvalidInputException', 'Build batch id is required')
    }
    const batch = batches.get(`${region}/${input.id}`)
    if (batch === undefined) {
      return options.notFoundAnswer === 'invalid-input'
        ? error('InvalidInputException', `Build batch ${input.id} does not exist`)
        : error('ResourceNotFoundException', `Build batch ${input.id} not found`)
    }
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

  /**
   * Starts a running batch of the project, as the README's workflow does with the AWS CLI.
   * A commit SHA given as the source version is also the resolved commit, as CodeBuild
   * reports it once the source is downloaded.
   * @param {any} input @param {string} region
   */
  function startBuildBatch(input, region) {
    if (typeof input.projectName !== 'string' || input.projectName === '') {
      return error('InvalidInputException', 'Project name is required')
    }
    const sourceVersion = typeof input.sourceVersion === 'string' && input.sourceVersion !== '' ? input.sourceVersion : undefined
    const id = addBatch({
      project: input.projectName,
      region,
      ...(sourceVersion === undefined ? {} : { sourceVersion }),
      ...(sourceVersion !== undefined && /^[0-9a-f]{40}$/.test(sourceVersion) ? { resolvedSourceVersion: sourceVersion } : {}),
      initiator: `${LOCAL_ACCOUNT}/local-start-build-batch`,
      startTime: Math.floor(Date.now() / 1000)
    })
    return ok({ buildBatch: batches.get(`${region}/${id}`).state })
  }

  /** @param {any} input @param {string} region */
  function batchGetBuildBatches(input, region) {
    const ids = input.ids
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) {
      return error('InvalidInputException', 'ids must contain between 1 and 100 items')
    }
    const found = []
    const notFound = []
    for (const id of ids) {
      const batch = batches.get(`${region}/${id}`)
      if (batch === undefined) {
        notFound.push(id)
        continue
      }
      advance(batch)
      found.push(batch.state)
    }
    return ok({ buildBatches: found, buildBatchesNotFound: notFound })
  }

  /** @param {any} input @param {string} region */
  function listBuildBatchesForProject(input, region) {
    const maxResults = input.maxResults ?? 100
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
      return error('InvalidInputException', 'maxResults must be between 1 and 100')
    }
    const matching = [...batches.values()]
      .filter((batch) => batch.region === region)
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

  /** @param {any} batch */
  function requestStop(batch) {
    batch.stopRequested = true
    const now = Date.now() / 1000
    const state = batch.state
    const current = state.phases[state.phases.length - 1]
    current.endTime = now
    current.durationInSeconds = Math.max(0, Math.round(now - current.startTime))
    current.phaseStatus = 'STOPPED'
    if (batch.stopBehaviour === 'gradual') return
    finishBatch(batch, now)
  }

  /** @param {any} batch @param {number} now */
  function finishBatch(batch, now) {
    const state = batch.state
    state.buildBatchStatus = 'STOPPED'
    state.currentPhase = 'STOPPED'
    state.complete = true
    state.endTime = now
    state.phases.push({ phaseType: 'STOPPED', startTime: now })
  }

  /** A poll moves a stopping batch one step towards settled. @param {any} batch */
  function advance(batch) {
    if (!batch.stopRequested || batch.settled || batch.stopBehaviour === 'never-settles') return
    batch.pollsLeft--
    if (batch.pollsLeft > 0) return
    batch.settled = true
    if (!batch.state.complete) finishBatch(batch, Date.now() / 1000)
    for (const group of batch.state.buildGroups) {
      const summary = group.currentBuildSummary
      if (summary.buildStatus === 'IN_PROGRESS' || summary.buildStatus === 'PENDING') summary.buildStatus = 'STOPPED'
    }
  }

  /** @param {BatchSpec} spec @param {number} number */
  function newBatch(spec, number) {
    const region = spec.region ?? 'us-east-1'
    const partition = spec.partition ?? 'aws'
    const id = `${spec.project}:${spec.uuid ?? randomUUID()}`
    const arnPrefix = `arn:${partition}:codebuild:${region}:${LOCAL_ACCOUNT}`
    const status = spec.status ?? 'IN_PROGRESS'
    const running = status === 'IN_PROGRESS'
    const startTime = spec.startTime ?? Math.floor(Date.now() / 1000) - 120
    const phases = [
      { phaseType: 'SUBMITTED', phaseStatus: 'SUCCEEDED', startTime, endTime: startTime + 1, durationInSeconds: 1 },
      {
        phaseType: 'DOWNLOAD_BATCHSPEC',
        phaseStatus: 'SUCCEEDED',
        startTime: startTime + 1,
        endTime: startTime + 5,
        durationInSeconds: 4
      },
      ...(spec.phases ?? []).map((phase) => ({ startTime: startTime + 5, ...phase })),
      running
        ? { phaseType: 'IN_PROGRESS', startTime: startTime + 5 }
        : { phaseType: status, startTime: startTime + 60, endTime: startTime + 60, durationInSeconds: 0 }
    ]
    const builds = spec.builds ?? [
      { identifier: 'build1', status: running ? 'IN_PROGRESS' : 'SUCCEEDED' },
      { identifier: 'build2', status: running ? 'IN_PROGRESS' : 'SUCCEEDED' },
      { identifier: 'build3', status: running ? 'PENDING' : 'SUCCEEDED', dependsOn: ['build1'] }
    ]
    return {
      region,
      order: number,
      stopBehaviour: spec.stopBehaviour ?? 'stopped-at-once',
      pollsLeft: spec.pollsToSettle ?? 2,
      stopRequested: false,
      settled: false,
      state: {
        id,
        arn: `${arnPrefix}:build-batch/${id}`,
        projectName: spec.project,
        buildBatchNumber: spec.buildBatchNumber ?? number,
        startTime,
        ...(running ? {} : { endTime: startTime + 60 }),
        currentPhase: running ? 'IN_PROGRESS' : status,
        buildBatchStatus: status,
        complete: !running,
        sourceVersion: spec.sourceVersion ?? 'refs/heads/main',
        resolvedSourceVersion: spec.resolvedSourceVersion ?? '0123456789abcdef0123456789abcdef01234567',
        initiator: spec.initiator ?? 'GitHub-Hookshot/local',
        source: spec.source ?? { type: 'GITHUB', location: 'https://github.com/example/app.git' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/amazonlinux2-x86_64-standard:3.0',
          computeType: 'BUILD_GENERAL1_SMALL',
          environmentVariables: (spec.environmentVariables ?? []).map((variable) => ({ type: 'PLAINTEXT', ...variable })),
          privilegedMode: false,
          imagePullCredentialsType: 'CODEBUILD'
        },
        phases,
        buildGroups: builds.map((build) => ({
          identifier: build.identifier,
          dependsOn: build.dependsOn ?? [],
          ignoreFailure: build.ignoreFailure ?? false,
          currentBuildSummary: {
            arn: `${arnPrefix}:build/${spec.project}:${randomUUID()}`,
            requestedOn: startTime + 6,
            buildStatus: build.status ?? (running ? 'IN_PROGRESS' : status)
          }
        }))
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
    /** The current state of a batch as CodeBuild would answer it. @param {string} id @param {string} [region] */
    batch(id, region = 'us-east-1') {
      return batches.get(`${region}/${id}`)?.state
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
 * @param {string} [requestId]
 */
function sendJson(res, status, body, requestId = randomUUID()) {
  sendRaw(res, status, JSON.stringify(body), typeof body?.__type === 'string' ? body.__type : undefined, requestId)
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} text
 * @param {string} [errorType]
 * @param {string} [requestId]
 */
function sendRaw(res, status, text, errorType, requestId = randomUUID()) {
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType })
  })
  res.end(text)
}

/**
 * Verifies an AWS Signature Version 4 `Authorization` header the way AWS does: rebuilds the
 * canonical request from the method, path, query, signed headers and body hash, derives the
 * signing key from the secret of the access key named in the credential scope, and compares.
 * @param {import('node:http').IncomingMessage} req
 * @param {Buffer} body
 * @param {Record<string, string>} credentials
 */
export function verifySignature(req, body, credentials) {
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
  return { ok: true, region, errorType: '', message: '' }
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
