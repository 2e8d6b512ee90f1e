// Form rules for accounts. Returns message keys per field; the page shows them beside the fields.
import type { FieldErrors } from '../errors.js'
import { checkPassword } from '../auth/password.js'
import { EMAIL_PATTERN, USERNAME_PATTERN } from './user.js'

export interface ProfileInput { displayName: string; email: string; bio?: string }

export function normaliseText(s: string | undefined): string {
  // Control characters other than newline/tab have no place in names and bios; nor have the
  // direction marks and overrides that make a name display as another, or zero-width spaces.
  return (s ?? '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g, '').trim()
}

export function validateUsername(username: string, errors: FieldErrors): void {
  if (!username) errors.username = 'user.username.required'
  else if (!USERNAME_PATTERN.test(username)) errors.username = 'user.username.invalid'
}

export function validateProfile(input: ProfileInput, errors: FieldErrors): void {
  if (!input.displayName) errors.displayName = 'user.displayName.required'
  else if ([...input.displayName].length > 80) errors.displayName = 'user.displayName.tooLong'
  if (input.email && (input.email.length > 254 || !EMAIL_PATTERN.test(input.email))) errors.email = 'user.email.invalid'
  if (input.bio !== undefined && [...input.bio].length > 1000) errors.bio = 'user.bio.tooLong'
}

/** `personal`: the account's username, name and e-mail address (a password built from them is refused). */
export function validateNewPassword(password: string, confirm: string | undefined, errors: FieldErrors, personal: (string | null | undefined)[] = []): void {
  const problem = checkPassword(password, personal.filter((p): p is string => !!p))
  if (problem) errors.password = problem
  else if (confirm !== undefined && confirm !== password) errors.passwordConfirm = 'password.mismatch'
}
