// Responses recorded from CodeBuild, as the AWS CLI's documentation shows them
// (awscli/examples/codebuild/*.rst, Apache License 2.0). The CLI prints timestamps as ISO
// text; on the wire (JSON 1.1) they are epoch seconds: onTheWire() turns them back.

/** aws codebuild stop-build-batch */
export const RECORDED_STOP_BUILD_BATCH = {
  buildBatch: {
    id: '<project-name>:<batch-ID>',
    arn: 'arn:aws:codebuild:<region-ID>:<account-ID>:build-batch/<project-name>:<batch-ID>',
    startTime: '2020-10-21T16:54:24.740000+00:00',
    endTime: '2020-10-21T16:56:05.152000+00:00',
    currentPhase: 'STOPPED',
    buildBatchStatus: 'STOPPED',
    resolvedSourceVersion: 'aef7744ed069c51098e15c360f4102cd2cd1ad64',
    projectName: '<project-name>',
    phases: [
      {
        phaseType: 'SUBMITTED',
        phaseStatus: 'SUCCEEDED',
        startTime: '2020-10-21T16:54:24.740000+00:00',
        endTime: '2020-10-21T16:54:25.039000+00:00',
        durationInSeconds: 0
      },
      {
        phaseType: 'DOWNLOAD_BATCHSPEC',
        phaseStatus: 'SUCCEEDED',
        startTime: '2020-10-21T16:54:25.039000+00:00',
        endTime: '2020-10-21T16:54:56.583000+00:00',
        durationInSeconds: 31
      },
      {
        phaseType: 'IN_PROGRESS',
        phaseStatus: 'STOPPED',
        startTime: '2020-10-21T16:54:56.583000+00:00',
        endTime: '2020-10-21T16:56:05.152000+00:00',
        durationInSeconds: 68
      },
      {
        phaseType: 'STOPPED',
        startTime: '2020-10-21T16:56:05.152000+00:00'
      }
    ],
    source: {
      type: 'GITHUB',
      location: '<GitHub-repo-URL>',
      gitCloneDepth: 1,
      gitSubmodulesConfig: {
        fetchSubmodules: false
      },
      reportBuildStatus: false,
      insecureSsl: false
    },
    secondarySources: [],
    secondarySourceVersions: [],
    artifacts: {
      location: ''
    },
    secondaryArtifacts: [],
    cache: {
      type: 'NO_CACHE'
    },
    environment: {
      type: 'LINUX_CONTAINER',
      image: 'aws/codebuild/amazonlinux2-x86_64-standard:3.0',
      computeType: 'BUILD_GENERAL1_SMALL',
      environmentVariables: [],
      privilegedMode: false,
      imagePullCredentialsType: 'CODEBUILD'
    },
    logConfig: {
      cloudWatchLogs: {
        status: 'ENABLED'
      },
      s3Logs: {
        status: 'DISABLED',
        encryptionDisabled: false
      }
    },
    buildTimeoutInMinutes: 60,
    queuedTimeoutInMinutes: 480,
    complete: true,
    initiator: 'Strohm',
    encryptionKey: 'arn:aws:kms:<region-ID>:<account-ID>:alias/aws/s3',
    buildBatchNumber: 3,
    buildBatchConfig: {
      serviceRole: 'arn:aws:iam::<account-ID>:role/service-role/<project-name>',
      restrictions: {
        maximumBuildsAllowed: 100
      },
      timeoutInMins: 480
    },
    buildGroups: [
      {
        identifier: 'DOWNLOAD_SOURCE',
        ignoreFailure: false,
        currentBuildSummary: {
          arn: 'arn:aws:codebuild:<region-ID>:<account-ID>:build/<project-name>:<build-ID>',
          requestedOn: '2020-10-21T16:54:25.468000+00:00',
          buildStatus: 'SUCCEEDED',
          primaryArtifact: {
            type: 'no_artifacts',
            identifier: 'DOWNLOAD_SOURCE'
          },
          secondaryArtifacts: []
        }
      },
      {
        identifier: 'linux_small',
        dependsOn: [],
        ignoreFailure: false,
        currentBuildSummary: {
          arn: 'arn:aws:codebuild:<region-ID>:<account-ID>:build/<project-name>:<build-ID>',
          requestedOn: '2020-10-21T16:54:56.833000+00:00',
          buildStatus: 'IN_PROGRESS'
        }
      },
      {
        identifier: 'linux_medium',
        dependsOn: [
          'linux_small'
        ],
        ignoreFailure: false,
        currentBuildSummary: {
          arn: 'arn:aws:codebuild:<region-ID>:<account-ID>:build/<project-name>:<build-ID>',
          requestedOn: '2020-10-21T16:54:56.211000+00:00',
          buildStatus: 'PENDING'
        }
      },
      {
        identifier: 'linux_large',
        dependsOn: [
          'linux_medium'
        ],
        ignoreFailure: false,
        currentBuildSummary: {
          arn: 'arn:aws:codebuild:<region-ID>:<account-ID>:build/<project-name>:<build-ID>',
          requestedOn: '2020-10-21T16:54:56.330000+00:00',
          buildStatus: 'PENDING'
        }
      }
    ]
  }
}

/** aws codebuild batch-get-build-batches */
export const RECORDED_BATCH_GET_BUILD_BATCHES = {
  buildBatches: [
    {
      id: 'codebuild-demo-project:e9c4f4df-3f43-41d2-ab3a-60fe2EXAMPLE',
      arn: 'arn:aws:codebuild:us-west-2:123456789012:build-batch/codebuild-demo-project:e9c4f4df-3f43-41d2-ab3a-60fe2EXAMPLE',
      startTime: '2020-11-03T21:52:20.775000+00:00',
      endTime: '2020-11-03T21:56:59.784000+00:00',
      currentPhase: 'SUCCEEDED',
      buildBatchStatus: 'SUCCEEDED',
      resolvedSourceVersion: '0a6546f68309560d08a310daac92314c4d378f6b',
      projectName: 'codebuild-demo-project',
      phases: [
        {
          phaseType: 'SUBMITTED',
          phaseStatus: 'SUCCEEDED',
          startTime: '2020-11-03T21:52:20.775000+00:00',
          endTime: '2020-11-03T21:52:20.976000+00:00',
          durationInSeconds: 0
        },
        {
          phaseType: 'DOWNLOAD_BATCHSPEC',
          phaseStatus: 'SUCCEEDED',
          startTime: '2020-11-03T21:52:20.976000+00:00',
          endTime: '2020-11-03T21:52:57.401000+00:00',
          durationInSeconds: 36
        },
        {
          phaseType: 'IN_PROGRESS',
          phaseStatus: 'SUCCEEDED',
          startTime: '2020-11-03T21:52:57.401000+00:00',
          endTime: '2020-11-03T21:56:59.751000+00:00',
          durationInSeconds: 242
        },
        {
          phaseType: 'COMBINE_ARTIFACTS',
          phaseStatus: 'SUCCEEDED',
          startTime: '2020-11-03T21:56:59.751000+00:00',
          endTime: '2020-11-03T21:56:59.784000+00:00',
          durationInSeconds: 0
        },
        {
          phaseType: 'SUCCEEDED',
          startTime: '2020-11-03T21:56:59.784000+00:00'
        }
      ],
      source: {
        type: 'GITHUB',
        location: 'https://github.com/my-repo/codebuild-demo-project.git',
        gitCloneDepth: 1,
        gitSubmodulesConfig: {
          fetchSubmodules: false
        },
        reportBuildStatus: false,
        insecureSsl: false
      },
      secondarySources: [],
      secondarySourceVersions: [],
      artifacts: {
        location: ''
      },
      secondaryArtifacts: [],
      cache: {
        type: 'NO_CACHE'
      },
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/amazonlinux2-x86_64-standard:3.0',
        computeType: 'BUILD_GENERAL1_SMALL',
        environmentVariables: [],
        privilegedMode: false,
        imagePullCredentialsType: 'CODEBUILD'
      },
      logConfig: {
        cloudWatchLogs: {
          status: 'ENABLED'
        },
        s3Logs: {
          status: 'DISABLED',
          encryptionDisabled: false
        }
      },
      buildTimeoutInMinutes: 60,
      queuedTimeoutInMinutes: 480,
      complete: true,
      initiator: 'Strohm',
      encryptionKey: 'arn:aws:kms:us-west-2:123456789012:alias/aws/s3',
      buildBatchNumber: 6,
      buildBatchConfig: {
        serviceRole: 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-project',
        restrictions: {
          maximumBuildsAllowed: 100
        },
        timeoutInMins: 480
      },
      buildGroups: [
        {
          identifier: 'DOWNLOAD_SOURCE',
          ignoreFailure: false,
          currentBuildSummary: {
            arn: 'arn:aws:codebuild:us-west-2:123456789012:build/codebuild-demo-project:379737d8-bc35-48ec-97fd-776d27545315',
            requestedOn: '2020-11-03T21:52:21.394000+00:00',
            buildStatus: 'SUCCEEDED',
            primaryArtifact: {
              type: 'no_artifacts',
              identifier: 'DOWNLOAD_SOURCE'
            },
            secondaryArtifacts: []
          }
        },
        {
          identifier: 'linux_small',
          dependsOn: [],
          ignoreFailure: false,
          currentBuildSummary: {
            arn: 'arn:aws:codebuild:us-west-2:123456789012:build/codebuild-demo-project:dd785171-ed84-4bb6-8ede-ceeb86e54bdb',
            requestedOn: '2020-11-03T21:52:57.604000+00:00',
            buildStatus: 'SUCCEEDED',
            primaryArtifact: {
              type: 'no_artifacts',
              identifier: 'linux_small'
            },
            secondaryArtifacts: []
          }
        },
        {
          identifier: 'linux_medium',
          dependsOn: [
            'linux_small'
          ],
          ignoreFailure: false,
          currentBuildSummary: {
            arn: 'arn:aws:codebuild:us-west-2:123456789012:build/codebuild-demo-project:97cf7bd4-5313-4786-8243-4aef350a1267',
            requestedOn: '2020-11-03T21:54:18.474000+00:00',
            buildStatus: 'SUCCEEDED',
            primaryArtifact: {
              type: 'no_artifacts',
              identifier: 'linux_medium'
            },
            secondaryArtifacts: []
          }
        },
        {
          identifier: 'linux_large',
          dependsOn: [
            'linux_medium'
          ],
          ignoreFailure: false,
          currentBuildSummary: {
            arn: 'arn:aws:codebuild:us-west-2:123456789012:build/codebuild-demo-project:60a194cd-0d03-4337-9db1-d41476a17d27',
            requestedOn: '2020-11-03T21:55:39.203000+00:00',
            buildStatus: 'SUCCEEDED',
            primaryArtifact: {
              type: 'no_artifacts',
              identifier: 'linux_large'
            },
            secondaryArtifacts: []
          }
        }
      ]
    }
  ],
  buildBatchesNotFound: []
}

/** aws codebuild list-build-batches-for-project */
export const RECORDED_LIST_BUILD_BATCHES_FOR_PROJECT = {
  ids: [
    '<project-name>:<batch-ID>',
    '<project-name>:<batch-ID>'
  ]
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$/

/** A recorded response as CodeBuild sent it: every ISO timestamp back to epoch seconds. */
export function onTheWire(value: unknown): unknown {
  if (typeof value === 'string' && ISO_TIME.test(value)) return Date.parse(value) / 1000
  if (Array.isArray(value)) return value.map(onTheWire)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, onTheWire(item)]))
  }
  return value
}
