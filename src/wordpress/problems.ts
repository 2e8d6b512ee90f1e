// What the content converter could not carry over faithfully; each is worth a line in the import report.

export type ProblemCode = 'unknown-shortcode' | 'bad-embed' | 'unknown-iframe' | 'unknown-object' | 'page-break'
  | 'empty-gallery' // a [gallery] with no images the export holds: removed

export interface Problem {
  code: ProblemCode
  /** The offending source, shortened: '[gallery ids="1,2"]', '<iframe src=…>'. */
  detail: string
}
