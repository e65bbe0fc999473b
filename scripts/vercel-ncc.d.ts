// The part of @vercel/ncc's programmatic API that scripts/bundle.mjs uses (the package ships
// no types).
declare module '@vercel/ncc' {
  interface NccOptions {
    esm?: boolean
    minify?: boolean
    target?: string
    quiet?: boolean
    transpileOnly?: boolean
    mainFields?: string[]
  }
  interface NccResult {
    code: string
    assets: Record<string, { source: string | Buffer }>
    stats: { toJson(): unknown }
  }
  export default function ncc(entry: string, options?: NccOptions): Promise<NccResult>
}
