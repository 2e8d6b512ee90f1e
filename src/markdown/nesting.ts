// How deeply a Markdown text nests its blocks (quotes in quotes, lists in lists). Markdown parsers
// recurse per level; a few thousand levels ("> > > …" or "- - - …") exhaust the stack. Far beyond
// anything a person writes, so such texts are refused with a message instead.

export const MAX_NESTING = 32

const CONTAINER = /^[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?/

/** The deepest nesting of any line: quote and list markers at its start, plus its indentation. */
export function nestingDepth(source: string): number {
  let deepest = 0
  for (const line of source.split('\n')) {
    const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length
    let depth = Math.floor(indent / 2)
    let rest = line
    for (let m = CONTAINER.exec(rest); m && m[0].length > 0; m = CONTAINER.exec(rest)) {
      depth++
      rest = rest.slice(m[0].length)
      if (depth > MAX_NESTING) return depth
    }
    deepest = Math.max(deepest, depth)
  }
  return deepest
}

export function isTooDeep(source: string): boolean {
  return nestingDepth(source) > MAX_NESTING
}
