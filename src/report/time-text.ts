/**
 * A time from CodeBuild as the log and the summary show it: UTC to the second, in
 * CodeBuild's own clock (`2020-10-21 16:56:05Z`); '' when there is none.
 */
export function utcTime(value: Date | undefined): string {
  return value === undefined || Number.isNaN(value.getTime()) ? '' : `${value.toISOString().slice(0, 19).replace('T', ' ')}Z`
}
