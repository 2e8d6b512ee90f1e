// A webhook receiver on loopback for the tests: records every request and answers with the next
// status from a script (then 200).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received { path: string; headers: http.IncomingHttpHeaders; body: string }

export class Receiver {
  readonly received: Received[] = []
  private constructor(private readonly server: http.Server, readonly url: string, private readonly script: number[]) {}

  static async start(script: number[] = []): Promise<Receiver> {
    let self: Receiver | undefined
    const server = http.createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => { body += c })
      req.on('end', () => {
        self!.received.push({ path: req.url ?? '', headers: req.headers, body })
        const status = self!.script.shift() ?? 200
        res.writeHead(status, { 'content-type': 'text/plain' })
        res.end(status < 300 ? 'ok' : `failure ${status}`)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    self = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, script)
    return self
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}
