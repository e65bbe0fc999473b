// The contract between the local endpoint and CodeBuild: checks a request or a response
// against the service's shapes as the AWS SDK itself knows them, so that the endpoint cannot
// drift from what CodeBuild sends and the tests keep proving something about the real service.
//
// Nothing here is a copy of the model. The shapes come from the SDK package:
// - member names, member types and required members of every structure from its schema, the
//   data its serializers run on (exported as `<Shape>$` and read with @smithy/core's
//   NormalizedSchema, as the SDK reads it);
// - the values of every enum from its enum objects (`StatusType`, ...);
// - which member takes which enum from its type declarations (dist-types/models), because
//   the schema marks an enum member as a plain string.
//
// Needs the installed SDK and TypeScript (dev dependencies), so only the tests load it; the
// endpoint itself stays free of dependencies.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/**
 * Values that the responses recorded from CodeBuild (the AWS CLI's examples) contain and the
 * model's enums lack. The endpoint sends them because CodeBuild does:
 * - a build of a batch that waits for its dependencies is `PENDING`;
 * - the artifact of a project without artifacts has the type `no_artifacts`, in lower case.
 * @type {Record<string, string[]>}
 */
export const RECORDED_ENUM_VALUES = {
  'BuildSummary.buildStatus': ['PENDING'],
  'ResolvedArtifact.type': ['no_artifacts']
}

/**
 * Members that the model types as plain strings, whose values the recorded responses take
 * from an enum: a batch's current phase is the type of its last phase.
 * @type {Record<string, string>}
 */
export const RECORDED_ENUMS = {
  'BuildBatch.currentPhase': 'BuildBatchPhaseType'
}

/**
 * A plain description of a shape, for comparing with the endpoint's own request rules.
 * @typedef {object} ShapeDescription
 * @property {'string' | 'number' | 'boolean' | 'timestamp' | 'list' | 'map' | 'structure' | 'blob' | 'document'} type
 * @property {string} [enum] the enum the member takes its values from
 * @property {ShapeDescription} [member] of a list or map
 * @property {Record<string, ShapeDescription & {required: boolean}>} [members] of a structure
 *
 * @typedef {object} Contract
 * @property {(operation: string, status: number, body: any) => string[]} checkResponse
 * @property {(operation: string, body: any) => string[]} checkRequest
 * @property {(operation: string) => ShapeDescription} describeInput
 * @property {(name: string) => string[]} enumValues the values of one of the SDK's enums
 */

/** @type {Contract | undefined} */
let loaded

/**
 * Reads the shapes from the installed SDK (once per process).
 * @returns {Contract}
 */
export function loadContract() {
  if (loaded !== undefined) return loaded
  const entry = require.resolve('@aws-sdk/client-codebuild')
  const sdk = require(entry)
  // @smithy/core from where the SDK finds it: the same copy the SDK runs on.
  const { NormalizedSchema } = createRequire(entry)('@smithy/core/schema')
  const memberEnums = { ...enumsOfMembers(join(dirname(entry), '..', 'dist-types', 'models'), sdk), ...RECORDED_ENUMS }

  /** @param {string} name */
  const enumValues = (name) => {
    const values = sdk[name]
    if (typeof values !== 'object' || values === null) throw new Error(`the SDK has no enum ${name}`)
    return Object.values(values).map(String)
  }

  /** @param {string} operation @param {4 | 5} part the input (4) or output (5) of the operation schema */
  const shapeOf = (operation, part) => {
    const schema = sdk[`${operation}$`]
    if (!Array.isArray(schema) || schema[0] !== 9) throw new Error(`the SDK has no operation ${operation}`)
    return NormalizedSchema.of(schema[part])
  }

  /**
   * @param {any} value
   * @param {any} schema a NormalizedSchema
   * @param {string} path
   * @param {string | undefined} memberKey `Structure.member`, for its enum
   * @param {string[]} problems
   */
  function check(value, schema, path, memberKey, problems) {
    if (value === null) {
      problems.push(`${path}: null (CodeBuild leaves out a member that has no value)`)
      return
    }
    if (schema.isStructSchema()) {
      const name = schema.getName()
      if (!isRecord(value)) {
        problems.push(`${path}: ${describe(value)} where the structure ${name} belongs`)
        return
      }
      const members = new Map(schema.structIterator())
      for (const key of Object.keys(value)) {
        if (!members.has(key)) problems.push(`${path}.${key}: ${name} has no member ${key}`)
      }
      for (const key of requiredMembers(schema)) {
        if (value[key] === undefined) problems.push(`${path}.${key}: required member of ${name} is missing`)
      }
      for (const [key, member] of members) {
        if (value[key] !== undefined) check(value[key], member, `${path}.${key}`, `${name}.${key}`, problems)
      }
      return
    }
    if (schema.isListSchema()) {
      if (!Array.isArray(value)) {
        problems.push(`${path}: ${describe(value)} where a list belongs`)
        return
      }
      value.forEach((item, index) => check(item, schema.getValueSchema(), `${path}[${index}]`, memberKey, problems))
      return
    }
    if (schema.isMapSchema()) {
      if (!isRecord(value)) {
        problems.push(`${path}: ${describe(value)} where a map belongs`)
        return
      }
      for (const [key, item] of Object.entries(value)) check(item, schema.getValueSchema(), `${path}.${key}`, memberKey, problems)
      return
    }
    if (schema.isStringSchema()) {
      if (typeof value !== 'string') {
        problems.push(`${path}: ${describe(value)} where a string belongs`)
        return
      }
      const enumName = memberKey === undefined ? undefined : memberEnums[memberKey]
      if (enumName !== undefined) {
        const allowed = [...enumValues(enumName), ...(RECORDED_ENUM_VALUES[memberKey ?? ''] ?? [])]
        if (!allowed.includes(value)) problems.push(`${path}: '${value}' is not a value of ${enumName} (${allowed.join(', ')})`)
      }
      return
    }
    // JSON 1.1 sends timestamps as epoch seconds, numbers like any other.
    if (schema.isNumericSchema() || schema.isTimestampSchema()) {
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${path}: ${describe(value)} where a number belongs`)
      return
    }
    if (schema.isBooleanSchema()) {
      if (typeof value !== 'boolean') problems.push(`${path}: ${describe(value)} where a boolean belongs`)
      return
    }
    if (schema.isBlobSchema() && typeof value !== 'string') problems.push(`${path}: ${describe(value)} where base64 text belongs`)
  }

  /**
   * @param {any} schema a NormalizedSchema
   * @param {string} [memberKey]
   * @param {number} [depth]
   * @returns {ShapeDescription}
   */
  function describeShape(schema, memberKey, depth = 0) {
    if (schema.isStructSchema()) {
      const name = schema.getName()
      const required = new Set(requiredMembers(schema))
      /** @type {Record<string, ShapeDescription & {required: boolean}>} */
      const members = {}
      if (depth < 4) {
        for (const [key, member] of schema.structIterator()) {
          members[key] = { ...describeShape(member, `${name}.${key}`, depth + 1), required: required.has(key) }
        }
      }
      return { type: 'structure', members }
    }
    if (schema.isListSchema()) return { type: 'list', member: describeShape(schema.getValueSchema(), memberKey, depth + 1) }
    if (schema.isMapSchema()) return { type: 'map', member: describeShape(schema.getValueSchema(), memberKey, depth + 1) }
    if (schema.isStringSchema()) {
      const enumName = memberKey === undefined ? undefined : memberEnums[memberKey]
      return enumName === undefined ? { type: 'string' } : { type: 'string', enum: enumName }
    }
    if (schema.isNumericSchema()) return { type: 'number' }
    if (schema.isBooleanSchema()) return { type: 'boolean' }
    if (schema.isTimestampSchema()) return { type: 'timestamp' }
    if (schema.isBlobSchema()) return { type: 'blob' }
    return { type: 'document' }
  }

  loaded = {
    checkResponse(operation, status, body) {
      /** @type {string[]} */
      const problems = []
      if (status >= 200 && status < 300) {
        check(body, shapeOf(operation, 5), operation, undefined, problems)
        return problems
      }
      // A JSON 1.1 error: its type and a message; a modeled error must match its shape.
      if (!isRecord(body) || typeof body.__type !== 'string' || typeof body.message !== 'string') {
        return [`${operation} error ${status}: ${describe(body)} is not {"__type": string, "message": string}`]
      }
      const type = body.__type.slice(body.__type.indexOf('#') + 1)
      const modeled = sdk[`${type}$`]
      if (Array.isArray(modeled) && modeled[0] === -3) {
        const members = Object.fromEntries(Object.entries(body).filter(([key]) => key !== '__type'))
        check(members, NormalizedSchema.of(modeled), `${operation} ${type}`, undefined, problems)
      }
      return problems
    },
    checkRequest(operation, body) {
      /** @type {string[]} */
      const problems = []
      check(body, shapeOf(operation, 4), operation, undefined, problems)
      return problems
    },
    describeInput(operation) {
      return describeShape(shapeOf(operation, 4))
    },
    enumValues
  }
  return loaded
}

/**
 * The required members of a structure. The SDK's schema of a structure lists its required
 * members first and gives their count after the member schemas (index 6); the model's
 * `required` lists match this for every structure of CodeBuild.
 * @param {any} schema a NormalizedSchema of a structure
 * @returns {string[]}
 */
function requiredMembers(schema) {
  const struct = schema.getSchema()
  return struct[4].slice(0, typeof struct[6] === 'number' ? struct[6] : 0)
}

/**
 * `Structure.member` to the enum it takes, from the SDK's declarations such as
 * `buildBatchStatus?: StatusType | undefined` or `modes?: CacheMode[] | undefined`.
 * @param {string} folder dist-types/models of the SDK
 * @param {Record<string, unknown>} sdk the SDK's exports, to know which names are enums
 * @returns {Record<string, string>}
 */
function enumsOfMembers(folder, sdk) {
  const ts = require('typescript')
  const isEnum = (/** @type {string} */ name) => {
    const value = sdk[name]
    return isRecord(value) && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string')
  }
  /** @type {Record<string, string>} */
  const enums = {}
  for (const file of readdirSync(folder).filter((name) => /^models_\d+\.d\.ts$/.test(name))) {
    const source = ts.createSourceFile(file, readFileSync(join(folder, file), 'utf8'), ts.ScriptTarget.Latest)
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || member.type === undefined) continue
        const types = ts.isUnionTypeNode(member.type) ? member.type.types : [member.type]
        for (const type of types) {
          const named = ts.isArrayTypeNode(type) ? type.elementType : type
          if (!ts.isTypeReferenceNode(named)) continue
          const name = named.typeName.getText(source)
          if (isEnum(name)) enums[`${statement.name.text}.${member.name.getText(source)}`] = name
        }
      }
    }
  }
  return enums
}

/** @param {unknown} value @returns {value is Record<string, any>} */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** @param {unknown} value */
function describe(value) {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}
