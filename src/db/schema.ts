// Table types for Kysely. Each feature adds its tables here when it adds a migration.
import type { Generated, Selectable } from 'kysely'

export interface UsersTable {
  id: Generated<number>
  username: string
  email: string | null
  display_name: string
  bio: Generated<string>
  password_hash: string | null
  is_editor: Generated<number>
  is_admin: Generated<number>
  is_active: Generated<number>
  language: string | null
  created_at: string
  updated_at: string
}

export interface SessionsTable {
  id: string
  user_id: number
  created_at: string
  last_seen_at: string
  expires_at: string
  ip: string | null
  user_agent: string | null
}

export interface InvitationsTable {
  id: Generated<number>
  token_hash: string
  user_id: number
  created_by: number | null
  created_at: string
  expires_at: string
  used_at: string | null
}

export interface LoginFailuresTable {
  id: Generated<number>
  key: string
  at: string
}

export interface SettingsTable {
  key: string
  value: string
  updated_at: string
  updated_by: number | null
}

export interface AuditEventsTable {
  id: Generated<number>
  at: string
  actor_id: number | null
  actor_name: string
  action: string
  subject_type: string
  subject_id: number
  from_state: string | null
  to_state: string | null
  note: string | null
  content_hash: string | null
  prev_hash: string
  hash: string
}

export interface DB {
  users: UsersTable
  sessions: SessionsTable
  invitations: InvitationsTable
  login_failures: LoginFailuresTable
  settings: SettingsTable
  audit_events: AuditEventsTable
}

export type UserRow = Selectable<UsersTable>
export type AuditEventRow = Selectable<AuditEventsTable>
