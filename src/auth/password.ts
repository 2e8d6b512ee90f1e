// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
import { hash, verify, type Options } from '@node-rs/argon2'
import { passwordStrength, type StrengthProblem } from './password-strength.js'

// algorithm 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const OPTIONS: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }
export const PASSWORD_MIN = 10
// Long enough for any passphrase, short enough that hashing cannot be used to burn CPU.
export const PASSWORD_MAX = 256

let options = OPTIONS

/**
 * For test suites only: they hash hundreds of passwords, and the cost is what makes argon2 safe, not
 * what the tests check. Verification reads the parameters from each hash, so both kinds still verify.
 */
export function useLightPasswordHashingForTests(): void {
  options = { ...OPTIONS, memoryCost: 1024, timeCost: 1 }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

// A real hash of a random password, verified when the user is unknown so that an unknown user and
// a wrong password take about the same time.
let dummyHash: Promise<string> | undefined

export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword(`dummy-${Math.random()}`)
    await verify(await dummyHash, password).catch(() => false)
    return false
  }
  return verify(stored, password).catch(() => false)
}

export type PasswordProblem = 'password.tooShort' | 'password.tooLong' | StrengthProblem

/** Length, then how easily it is guessed; `personal`: the person's own names and address. */
export function checkPassword(password: string, personal: string[] = []): PasswordProblem | undefined {
  if ([...password].length < PASSWORD_MIN) return 'password.tooShort'
  if ([...password].length > PASSWORD_MAX) return 'password.tooLong'
  return passwordStrength(password, personal)
}
