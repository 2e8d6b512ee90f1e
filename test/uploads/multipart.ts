// multipart/form-data requests through a test Client (its cookies, the CSRF token of its last page),
// as a browser sends a form with a file.
import type { Client } from '../helpers/client.js'

export interface FilePart { field?: string; filename: string; type: string; data: Buffer }

export function multipartBody(fields: [string, string][], file?: FilePart) {
  const boundary = `----betablogg${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const [name, value] of fields) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  }
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'image'}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`))
    chunks.push(file.data, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** Posts a multipart form; the CSRF token goes first, as in our forms, unless `csrf: false`. */
export async function postMultipart(c: Client, url: string, fields: Record<string, string>, file?: FilePart, opts: { from?: string; csrf?: false } = {}) {
  if (opts.from) await c.get(opts.from)
  const list: [string, string][] = opts.csrf === false ? [] : [['_csrf', c.csrf()]]
  list.push(...Object.entries(fields))
  const { payload, contentType } = multipartBody(list, file)
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
  const res = await c.app.inject({ method: 'POST', url, payload, headers: { cookie, 'content-type': contentType } })
  if (String(res.headers['content-type'] ?? '').includes('text/html')) c.lastHtml = res.body
  return res
}
