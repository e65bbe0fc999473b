// The floor of a cancellation step, for `npm run bench`: Node starts, loads only node:http(s)
// and node:crypto, signs one StopBuildBatch with SigV4 by hand, sends it, and exits. Nothing
// the action does can be faster than this on the same machine, so the bench reports the
// action's cold stop as a ratio to it. Never shipped in dist/.
//
// CommonJS on purpose: an ES module that imports node:http makes Node read the lazy WebSocket
// global (undici, http2, zlib), which would raise the floor.
//
// It reads the batch id from INPUT_BATCH-ID, as the action does, so that the bench starts
// both the same way (local-codebuild/run-action.mjs):
//
//   INPUT_BATCH-ID=project:uuid AWS_ENDPOINT_URL_CODEBUILD=http://127.0.0.1:PORT \
//   AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... node scripts/floor-stop.cjs
'use strict'
const { createHash, createHmac } = require('node:crypto')

const env = process.env
const region = env.AWS_REGION ?? ''
const endpoint = new URL(env.AWS_ENDPOINT_URL_CODEBUILD || `https://codebuild.${region}.amazonaws.com`)
const body = JSON.stringify({ id: env['INPUT_BATCH-ID'] })
const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '')
const date = amzDate.slice(0, 8)
/** @type {Record<string, string | number>} */
const headers = {
  'content-type': 'application/x-amz-json-1.1',
  host: endpoint.host,
  'x-amz-content-sha256': sha256(body),
  'x-amz-date': amzDate,
  'x-amz-target': 'CodeBuild_20161006.StopBuildBatch',
  ...(env.AWS_SESSION_TOKEN ? { 'x-amz-security-token': env.AWS_SESSION_TOKEN } : {})
}
const names = Object.keys(headers).sort()
const signedHeaders = names.join(';')
const canonical = ['POST', '/', '', names.map((name) => `${name}:${headers[name]}\n`).join(''), signedHeaders, sha256(body)].join('\n')
const scope = `${date}/${region}/codebuild/aws4_request`
const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n')
let key = hmac(`AWS4${env.AWS_SECRET_ACCESS_KEY}`, date)
for (const part of [region, 'codebuild', 'aws4_request']) key = hmac(key, part)
headers.authorization = `AWS4-HMAC-SHA256 Credential=${env.AWS_ACCESS_KEY_ID}/${scope}, SignedHeaders=${signedHeaders}, Signature=${createHmac('sha256', key).update(toSign).digest('hex')}`
headers['content-length'] = Buffer.byteLength(body)

// Both are loaded, as a client that talks to CodeBuild (https) and to a local endpoint (http)
// must; only the endpoint's own protocol is used.
const https = require('node:https')
const client = endpoint.protocol === 'https:' ? https : require('node:http')
const request = client.request(endpoint, { method: 'POST', headers }, (/** @type {import('node:http').IncomingMessage} */ response) => {
  /** @type {Buffer[]} */
  const chunks = []
  response.on('data', (chunk) => chunks.push(chunk))
  response.on('end', () => {
    if (response.statusCode !== 200) {
      process.stderr.write(`StopBuildBatch answered ${response.statusCode}: ${Buffer.concat(chunks)}\n`)
      process.exitCode = 1
    }
    process.exit()
  })
})
request.on('error', (/** @type {Error} */ error) => {
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
})
request.end(body)

/** @param {string} data */
function sha256(data) {
  return createHash('sha256').update(data).digest('hex')
}

/** @param {string | Buffer} secret @param {string} data */
function hmac(secret, data) {
  return createHmac('sha256', secret).update(data).digest()
}
