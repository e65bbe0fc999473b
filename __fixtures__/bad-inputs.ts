// Malformed inputs: each must fail the step before any request, with an ::error that names
// the input (or variable) and no stack trace. One line per case:
//   [what it is, the inputs given (others at their default), the name the error must give]
// A batch id is added to every case that does not set batch-id or project-name itself.

const UUID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
const ARN = (partition: string, service: string, region: string, account: string, resource: string): string =>
  `arn:${partition}:${service}:${region}:${account}:${resource}`

export type BadInput = readonly [description: string, inputs: Readonly<Record<string, string>>, names: string]

export const BAD_INPUTS: readonly BadInput[] = [
  ['no batch-id and no project-name', { 'batch-id': '' }, "Input 'batch-id' and input 'project-name'"],
  ['blank batch-id', { 'batch-id': ' \n\t ' }, "Input 'batch-id' and input 'project-name'"],
  ['batch-id of separators only', { 'batch-id': ', ,\n,' }, "Input 'batch-id' and input 'project-name'"],
  ['id without a colon', { 'batch-id': 'my-app' }, "Input 'batch-id'"],
  ['id without a project', { 'batch-id': `:${UUID}` }, "Input 'batch-id'"],
  ['id without a uuid', { 'batch-id': 'my-app:' }, "Input 'batch-id'"],
  ['id with a uuid that is not one', { 'batch-id': 'my-app:1234' }, "Input 'batch-id'"],
  ['id with a space inside', { 'batch-id': `my app:${UUID}` }, "Input 'batch-id'"],
  // A NUL byte cannot reach a process through its environment (the runner passes inputs as
  // INPUT_* variables); the unit tests of batch-ref.ts cover it.
  ['id with a control character inside', { 'batch-id': `my-app\u0001x:${UUID}` }, "Input 'batch-id'"],
  ['id with an overlong project name', { 'batch-id': `${'p'.repeat(300)}:${UUID}` }, "Input 'batch-id'"],
  ['an overlong value', { 'batch-id': 'x'.repeat(10_000) }, "Input 'batch-id'"],
  ['ARN of another service', { 'batch-id': ARN('aws', 's3', 'us-east-1', '123456789012', `build-batch/my-app:${UUID}`) }, "Input 'batch-id'"],
  ['ARN of a single build', { 'batch-id': ARN('aws', 'codebuild', 'us-east-1', '123456789012', `build/my-app:${UUID}`) }, "Input 'batch-id'"],
  ['ARN of a project', { 'batch-id': ARN('aws', 'codebuild', 'us-east-1', '123456789012', 'project/my-app') }, "Input 'batch-id'"],
  ['ARN of an unknown partition', { 'batch-id': ARN('aws-mars', 'codebuild', 'us-east-1', '123456789012', `build-batch/my-app:${UUID}`) }, "Input 'batch-id'"],
  ['ARN of an upper-case partition', { 'batch-id': ARN('AWS', 'codebuild', 'us-east-1', '123456789012', `build-batch/my-app:${UUID}`) }, "Input 'batch-id'"],
  ['ARN of aws-cn with a region outside it', { 'batch-id': ARN('aws-cn', 'codebuild', 'us-east-1', '123456789012', `build-batch/my-app:${UUID}`) }, "Input 'batch-id'"],
  ['ARN of aws-us-gov with a region outside it', { 'batch-id': ARN('aws-us-gov', 'codebuild', 'eu-west-1', '123456789012', `build-batch/my-app:${UUID}`) }, "Input 'batch-id'"],
  ['ARN with a bad account', { 'batch-id': ARN('aws', 'codebuild', 'us-east-1', '1234', `build-batch/my-app:${UUID}`) }, "Input 'batch-id'"],
  ['ARN with a bad region', { 'batch-id': ARN('aws', 'codebuild', 'useast1', '123456789012', `build-batch/my-app:${UUID}`) }, "Input 'batch-id'"],
  ['wait that is not a boolean', { wait: 'yes' }, "Input 'wait'"],
  ['wait misspelt', { wait: 'ture' }, "Input 'wait'"],
  ['summary as a number', { summary: '1' }, "Input 'summary'"],
  ['ignore-not-found as on', { 'ignore-not-found': 'on' }, "Input 'ignore-not-found'"],
  ['dry-run as maybe', { 'dry-run': 'maybe' }, "Input 'dry-run'"],
  ['superseded-only as y', { 'superseded-only': 'y' }, "Input 'superseded-only'"],
  ['negative wait-timeout', { 'wait-timeout': '-1' }, "Input 'wait-timeout'"],
  ['zero wait-timeout', { 'wait-timeout': '0' }, "Input 'wait-timeout'"],
  ['non-numeric wait-timeout', { 'wait-timeout': 'abc' }, "Input 'wait-timeout'"],
  ['wait-timeout in exponent notation', { 'wait-timeout': '1e3' }, "Input 'wait-timeout'"],
  ['wait-timeout beyond a job', { 'wait-timeout': '99999' }, "Input 'wait-timeout'"],
  ['zero poll-interval', { 'poll-interval': '0' }, "Input 'poll-interval'"],
  ['negative poll-interval', { 'poll-interval': '-5' }, "Input 'poll-interval'"],
  ['poll-interval NaN', { 'poll-interval': 'NaN' }, "Input 'poll-interval'"],
  ['poll-interval too short', { 'poll-interval': '0.01' }, "Input 'poll-interval'"],
  ['poll-interval with a unit', { 'poll-interval': '5s' }, "Input 'poll-interval'"],
  ['region without a number', { 'aws-region': 'us-east' }, "Input 'aws-region'"],
  ['region in upper case', { 'aws-region': 'US-EAST-1' }, "Input 'aws-region'"],
  ['region that is not one', { 'aws-region': 'moon-1' }, "Input 'aws-region'"],
  ['project name of one character', { 'batch-id': '', 'project-name': 'a' }, "Input 'project-name'"],
  ['project name with punctuation', { 'batch-id': '', 'project-name': 'bad name!' }, "Input 'project-name'"],
  ['source version with a control character', { 'batch-id': '', 'project-name': 'app', 'source-version': 'pr/1\u0007' }, "Input 'source-version'"],
  ['source version without project-name', { 'source-version': 'pr/1' }, "Input 'source-version'"],
  ['a workflow command smuggled into an input', { wait: 'true\n::add-mask::leak\n::stop-commands::x' }, "Input 'wait'"]
]
