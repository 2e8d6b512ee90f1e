// multipart/form-data for the forms that carry an image (the upload page and the post editor).
// Registered inside those route plugins only. The file is read here, while the request streams in:
// busboy stops buffering at UPLOAD_LIMIT_BYTES, so an oversized file never sits in memory whole, and
// instead of an error page the form comes back with its input and a message beside the file field.
// Fields arrive as plain values in req.body (`_csrf` included), so the global CSRF check applies.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import fastifyMultipart from '@fastify/multipart'
import { MAX_BODY } from '../posts/post.js'

export interface ReceivedFile {
  data: Buffer
  /** The file was larger than the limit; `data` holds only its start. */
  truncated: boolean
}

const received = new WeakMap<FastifyRequest, ReceivedFile>()

// What the multipart parser says of a body that is not well-formed: the sender's mistake (400).
const MALFORMED = /^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data)$/

export async function acceptMultipart(app: FastifyInstance): Promise<void> {
  // For these routes only; rethrown, the site's error handler makes the page.
  app.setErrorHandler((err: FastifyError) => {
    if (!err.statusCode && MALFORMED.test(err.message)) err.statusCode = 400
    throw err
  })
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    // fieldSize: a value cut at this many bytes has more characters than the longest valid field (the
    // post body, at most 4 bytes a character), so a cut value is refused as too long, never saved cut.
    limits: { fileSize: app.config.uploadLimitBytes, files: 1, fields: 40, parts: 50, fieldSize: 4 * MAX_BODY + 4 },
    async onFile(part) {
      const chunks: Buffer[] = []
      for await (const chunk of part.file) chunks.push(chunk as Buffer)
      // A file input left empty still sends a part, with no file name and no bytes.
      if (part.filename) received.set(this, { data: Buffer.concat(chunks), truncated: part.file.truncated })
    },
  })
}

export function receivedFile(req: FastifyRequest): ReceivedFile | undefined {
  return received.get(req)
}
