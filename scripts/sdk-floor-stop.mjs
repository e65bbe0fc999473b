// The AWS SDK's own floor, for `npm run bench`: a CodeBuildClient with the SDK's defaults
// sends one StopBuildBatchCommand, and nothing else runs. The bench bundles it as dist/ is
// bundled (scripts/ncc-bundle.mjs, scripts/optimize-bundle.mjs) and starts it as the action
// is started, so that the time the SDK takes of a cold stop is measured apart from the
// action's own. Never shipped in dist/.
//
// It reads what the action reads: the batch id from INPUT_BATCH-ID, the region, the
// credentials and AWS_ENDPOINT_URL_CODEBUILD from the environment (through the SDK).
import { CodeBuildClient, StopBuildBatchCommand } from '@aws-sdk/client-codebuild'

const client = new CodeBuildClient({})
await client.send(new StopBuildBatchCommand({ id: process.env['INPUT_BATCH-ID'] }))
