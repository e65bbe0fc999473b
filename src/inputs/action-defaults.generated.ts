// Generated from action.yml by scripts/sync-action-defaults.mjs: do not edit.
/** The default of every input, exactly as action.yml declares it. */
export const ACTION_DEFAULTS = {
  "batch-id": "",
  "project-name": "",
  "source-version": "",
  "superseded-only": "false",
  "github-token": "${{ github.token }}",
  "dry-run": "false",
  "aws-region": "",
  "wait": "true",
  "wait-timeout": "180",
  "poll-interval": "5",
  "ignore-not-found": "false",
  "summary": "true"
} as const
