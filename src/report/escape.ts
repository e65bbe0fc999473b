/**
 * Escaping for every string that did not come from this action: text from the CodeBuild API
 * (phase contexts, source versions, initiators, error messages) and input values echoed back
 * in errors.
 *
 * The runner reads a stdout line that begins with `::` (after leading white space) as a
 * workflow command. A string from the API that carries a line break could therefore start a
 * new line with `::add-mask::`, `::error::` or `::stop-commands::`. `forLog` turns every
 * line break and other control character into a visible escape, so such a string always
 * stays inside the line that this action started with its own words.
 */
export function forLog(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, controlEscape)
}

/** A value quoted for a message, escaped for the log and cut to a readable length. */
export function quote(value: string, maxLength = 120): string {
  const cut = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value
  return `"${forLog(cut).replace(/"/g, '\\"')}"`
}

function controlEscape(char: string): string {
  switch (char) {
    case '\n':
      return '\\n'
    case '\r':
      return '\\r'
    case '\t':
      return '\\t'
    default:
      return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  }
}

/**
 * The job summary is Markdown in which this action writes only HTML blocks. A GitHub
 * Markdown HTML block ends at a blank line, and Markdown is parsed again after it, so a line
 * break in API text could end a table and let `[text](link)` or `| a | b |` through. Line
 * breaks therefore become `<br>`, HTML's special characters become entities, and so do the
 * characters Markdown gives a meaning (links, emphasis, code, tables, mentions), which keeps
 * the text inert even if it ever lands outside an HTML block.
 */
export function forHtml(text: string): string {
  return text
    .replace(/[&<>"'|[\]`*_~\\@!#()]/g, (char) => `&#${char.charCodeAt(0)};`)
    .replace(/\r\n|[\r\n\u2028\u2029]/g, '<br>')
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
}
