import readline from 'node:readline'

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Prompts without echoing what is typed. */
export async function promptSecret(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return undefined
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  const write = (rl as unknown as { _writeToOutput: (s: string) => void })
  let muted = false
  write._writeToOutput = (s: string) => { if (!muted) process.stdout.write(s) }
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => { process.stdout.write('\n'); resolve(answer) })
      muted = true
    })
  } finally {
    rl.close()
  }
}
