// A real SMTP server on loopback for the e-mail tests (smtp-server), keeping every message it
// accepted, parsed by mailparser. It can be stopped and started again on the same port (SMTP down
// for a while), and told to hold the next message without answering (to kill a sender mid-send).
import net from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'

export class TestSmtp {
  readonly received: ParsedMail[] = []
  /** Messages whose DATA arrived but were never answered (held). */
  held = 0
  private server: SMTPServer | undefined
  private holdNext = false
  private waiters: (() => void)[] = []

  constructor(readonly port: number) {}

  /** A free port, with nothing listening on it yet. */
  static async freePort(): Promise<number> {
    const s = net.createServer()
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
    const port = (s.address() as net.AddressInfo).port
    await new Promise<void>((r) => s.close(() => r()))
    return port
  }

  static async start(port?: number): Promise<TestSmtp> {
    const smtp = new TestSmtp(port ?? (await TestSmtp.freePort()))
    await smtp.up()
    return smtp
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`
  }

  /** Env for buildTestApp: this server, a sender address, and a fast outbox. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      SMTP_URL: this.url, MAIL_FROM: 'Betablogg <betablogg@example.test>',
      OUTBOX_POLL_MS: '25', OUTBOX_RETRY_BASE_MS: '50', OUTBOX_LEASE_MS: '10000', ...extra,
    }
  }

  async up(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 100,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          if (this.holdNext) {
            this.holdNext = false
            this.held++
            this.notify()
            return // never answered: the sender waits until it is killed
          }
          simpleParser(Buffer.concat(chunks)).then((mail) => {
            this.received.push(mail)
            callback()
            this.notify()
          }, callback)
        })
      },
    })
    this.server.on('error', () => {})
    await new Promise<void>((resolve, reject) => {
      this.server!.listen(this.port, '127.0.0.1', () => resolve())
      this.server!.server.once('error', reject)
    })
  }

  async down(): Promise<void> {
    const s = this.server
    this.server = undefined
    if (s) await new Promise<void>((r) => s.close(() => r()))
  }

  hold(): void {
    this.holdNext = true
  }

  private notify() {
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }

  /** Waits until `count` messages (in all) have been accepted. */
  async waitFor(count: number, timeoutMs = 30_000): Promise<ParsedMail[]> {
    const deadline = Date.now() + timeoutMs
    while (this.received.length < count) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`expected ${count} e-mails, got ${this.received.length}`)
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.min(left, 200))
        this.waiters.push(() => { clearTimeout(timer); r() })
      })
    }
    return this.received
  }

  async waitForHeld(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.held === 0) {
      if (Date.now() > deadline) throw new Error('no message was held')
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

/** Polls `check` until it returns something truthy. */
export async function eventually<T>(check: () => Promise<T | undefined | false | null>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
