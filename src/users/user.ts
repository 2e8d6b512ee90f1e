// Roles combine: every account is an employee (medarbeider); "editor" (redaktør) and "admin" are
// independent capabilities on top. An admin who should also review posts is given both.
export type Role = 'employee' | 'editor' | 'admin'

export interface CurrentUser {
  id: number
  username: string
  displayName: string
  email: string | null
  isEditor: boolean
  isAdmin: boolean
  language: string | null
  /** Colour scheme chosen on this site; null (or absent): as the device. */
  theme?: 'light' | 'dark' | null
  /** Hash of the session cookie this request came with. */
  sessionId: string
}

export function rolesOf(u: { isEditor: boolean; isAdmin: boolean }): Role[] {
  const roles: Role[] = ['employee']
  if (u.isEditor) roles.push('editor')
  if (u.isAdmin) roles.push('admin')
  return roles
}

/** Parses "editor", "admin", "editor,admin" or "employee" (CLI and forms). */
export function parseRoles(input: string | string[]): { isEditor: boolean; isAdmin: boolean } | undefined {
  const parts = (Array.isArray(input) ? input : input.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean)
  if (!parts.length || parts.some((p) => !['employee', 'editor', 'admin'].includes(p))) return undefined
  return { isEditor: parts.includes('editor'), isAdmin: parts.includes('admin') }
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/
export const EMAIL_PATTERN = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/
