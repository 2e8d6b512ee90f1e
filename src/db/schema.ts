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
  /** 'light' | 'dark'; null: as the device (0100). */
  theme: string | null
  /** Profile (0140): unit/department, job title, the picture's stored path (null: initials). */
  unit: Generated<string>
  job_title: Generated<string>
  avatar_path: string | null
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

export interface UploadsTable {
  id: Generated<number>
  owner_id: number | null
  path: string
  mime: string
  width: number
  height: number
  bytes: number
  variants: Generated<string>
  alt: Generated<string>
  credit: Generated<string>
  created_at: string
}

export type PostStatus = 'draft' | 'submitted' | 'changes_requested' | 'scheduled' | 'published' | 'rejected' | 'withdrawn'

export interface PostsTable {
  id: Generated<number>
  author_id: number
  slug: string
  title: string
  lead: Generated<string>
  summary: Generated<string>
  body_md: Generated<string>
  body_html: Generated<string>
  cover_upload_id: number | null
  status: Generated<PostStatus>
  published_at: string | null
  scheduled_at: string | null
  submitted_at: string | null
  comment_count: Generated<number>
  comments_closed: Generated<number>
  pinned_at: string | null
  created_at: string
  updated_at: string
  // Editorial state (migration 0006): see src/posts/README.md.
  revision_id: number | null
  published_revision_id: number | null
  edit_revision_id: number | null
  edit_status: EditStatus | null
  queued_at: string | null
  review_note: string | null
  review_note_at: string | null
}

/** The review state of a pending change to a published post. */
export type EditStatus = 'draft' | 'submitted' | 'changes_requested' | 'rejected'

export interface PostRevisionsTable {
  id: Generated<number>
  post_id: number
  author_id: number
  title: string
  lead: Generated<string>
  body_md: Generated<string>
  body_html: Generated<string>
  /** Normalised tag names, comma-separated. */
  tags: Generated<string>
  cover_upload_id: number | null
  slug: string
  content_hash: string
  restored_from: number | null
  created_at: string
}

export interface PostSlugsTable {
  slug: string
  post_id: number
}

export interface TagsTable {
  id: Generated<number>
  name: string
  post_count: Generated<number>
  micro_count: Generated<number>
}

export interface PostTagsTable {
  post_id: number
  tag_id: number
  published_at: string | null
}

export interface MicroPostsTable {
  id: Generated<number>
  author_id: number
  body: string
  body_html: string
  reply_to_id: number | null
  root_id: number | null
  like_count: Generated<number>
  reply_count: Generated<number>
  created_at: string
  deleted_at: string | null
  hidden_at: string | null
  hidden_by: number | null
  hidden_reason: string | null
}

export interface MicroLikesTable {
  micro_id: number
  user_id: number
  created_at: string
}

export interface MicroTagsTable {
  micro_id: number
  tag_id: number
  created_at: string
}

export interface CommentsTable {
  id: Generated<number>
  post_id: number
  author_id: number | null
  author_name: string | null
  parent_id: number | null
  body_md: string
  body_html: string
  created_at: string
  edited_at: string | null
  deleted_at: string | null
  hidden_at: string | null
  hidden_by: number | null
  hidden_reason: string | null
}

export interface GuidelineVersionsTable {
  id: Generated<number>
  body_md: string
  body_html: string
  note: Generated<string>
  created_by: number | null
  created_at: string
}

export interface GuidelineAcceptancesTable {
  user_id: number
  version_id: number
  accepted_at: string
}

// Moderation, reports and notifications (migrations 0010, 0011).
export type ModerationSubject = 'micro' | 'comment'
export type ModerationStatus = 'open' | 'hidden' | 'cleared'

export interface ModerationItemsTable {
  id: Generated<number>
  subject_type: ModerationSubject
  subject_id: number
  author_id: number | null
  status: Generated<ModerationStatus>
  open_reports: Generated<number>
  queued_at: string
  updated_at: string
}

export interface ReportsTable {
  id: Generated<number>
  item_id: number
  reporter_id: number
  reason: string
  created_at: string
  resolved_at: string | null
  resolved_by: number | null
}

export interface NotificationsTable {
  id: Generated<number>
  user_id: number
  kind: string
  actor_id: number | null
  actor_ids: Generated<string>
  actor_count: Generated<number>
  subject_type: string
  subject_id: number
  data: Generated<string>
  group_key: string | null
  created_at: string
  updated_at: string
  read_at: string | null
}

export interface NotificationOptoutsTable {
  user_id: number
  kind: string
}

export interface QueueRemindersTable {
  post_id: number
  last_sent_on: string
}

export interface FeedKeysTable {
  user_id: number
  nonce: string
  key_hash: string
  created_at: string
}

/** The WordPress importer's map from the old blog's things to ours (migration 0030). */
export type WordpressMapKind = 'user' | 'post' | 'comment' | 'term' | 'attachment' | 'upload'
  /** An item's old URL (oldUrlKey of its <link>, or its guid on the blog's host) → a post, or an upload (wp_type 'attachment'). */
  | 'url'

export interface WordpressMapTable {
  source: string
  kind: WordpressMapKind
  wp_key: string
  wp_id: number | null
  wp_slug: string | null
  wp_type: string | null
  target_id: number
  imported_at: string
}

/** Documents (id * 4 + kind) waiting to be (re)indexed for search; the FTS table itself is SQL-only. */
export interface SearchPendingTable {
  doc: number
}

/** What each batch of index changes touched: the folded words of old and new text, space-separated, sorted. */
export interface SearchChangesTable {
  seq: Generated<number>
  words: string
}

export interface EmbedCacheTable {
  url: string
  provider: string
  /** The validated iframe URL; null: the provider could not resolve the address. */
  src: string | null
  title: string | null
  fetched_at: string
  expires_at: string
}

/** skipped: the sender found nothing to send (e.g. the person has no address any more). */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed'

/** Outgoing messages (migration 0080, src/outbox). */
export interface OutboxTable {
  id: Generated<number>
  channel: string
  kind: string
  idempotency_key: string
  recipient: string
  payload: Generated<string>
  status: Generated<OutboxStatus>
  attempts: Generated<number>
  next_attempt_at: string
  lease_until: string | null
  claim_token: string | null
  last_error: string | null
  created_at: string
  updated_at: string
  sent_at: string | null
}

export interface MailPreferencesTable {
  user_id: number
  kind: string
  mode: string
}

export interface MailDigestsTable {
  user_id: number
  kind: string
  last_until: string
}

export interface PasswordResetsTable {
  id: Generated<number>
  user_id: number
  token_hash: string
  created_at: string
  expires_at: string
  used_at: string | null
}

// Single sign-on (migration 0070, src/sso).
export interface SsoIdentitiesTable {
  id: Generated<number>
  user_id: number
  issuer: string
  subject: string
  created_at: string
  last_login_at: string
}

export interface SsoPendingTable {
  id: string
  state: string
  nonce: string
  code_verifier: string
  next_path: string
  created_at: string
}

export interface SsoSessionsTable {
  session_id: string
  user_id: number
  issuer: string
  subject: string
  sid: string | null
}

/** Outgoing webhooks (migration 0090, src/webhooks). */
export interface WebhooksTable {
  id: Generated<number>
  name: string
  url: string
  format: string
  events: string
  tag: string | null
  secret: string
  active: Generated<number>
  created_by: number | null
  created_at: string
  updated_at: string
}

export interface WebhookDeliveriesTable {
  id: Generated<number>
  webhook_id: number
  outbox_id: number
  event: string
  attempt: number
  at: string
  status_code: number | null
  response: string | null
  error: string | null
  duration_ms: number
}

/** A pseudonymised audit entry's seal (migration 0110, src/audit/chain.ts). */
export interface AuditRedactionsTable {
  event_id: number
  seal: string
  redaction_event_id: number
}

/** Retention rules (migration 0111, src/retention). */
export interface RetentionRulesTable {
  content_type: string
  years: number
  action: string
  updated_at: string
  updated_by: number | null
}

/** Following and bookmarks (migration 0150, src/following, src/bookmarks). */
export interface UserFollowsTable {
  follower_id: number
  followed_id: number
  created_at: string
}

export interface TagFollowsTable {
  user_id: number
  tag_id: number
  created_at: string
}

/** Exactly one of post_id and micro_id is set. */
export interface BookmarksTable {
  id: Generated<number>
  user_id: number
  post_id: number | null
  micro_id: number | null
  created_at: string
}
/** Owner and review date of a published post (migration 0160, src/stewardship). */
export interface PostStewardshipTable {
  post_id: number
  owner_id: number | null
  owner_unit: Generated<string>
  /** YYYY-MM-DD, Oslo calendar day. */
  review_by: string
  reviewed_at: string | null
  reviewed_by: number | null
  reminded_for: string | null
}

/** Daily aggregate counters of reading (migration 0161, src/statistics); nothing names a reader. */
export interface StatsPageViewsTable { day: string; kind: string; views: number }
export interface StatsPostViewsTable { day: string; post_id: number; views: number }
export interface StatsReadersTable { day: string; readers: number }
export interface StatsSummariesTable { month: string; sent_at: string }

/** Background jobs: who runs one now and when it is due next (src/jobs). */
export interface JobLeasesTable {
  name: string
  holder: string | null
  lease_until: string
  next_run_at: string
  last_started_at: string | null
  last_finished_at: string | null
}

/** The change log caches follow (src/coherence, migrations/0190). */
export interface CacheChangesTable {
  seq: Generated<number>
  scope: string
}

export interface DB {
  users: UsersTable
  sessions: SessionsTable
  invitations: InvitationsTable
  login_failures: LoginFailuresTable
  settings: SettingsTable
  audit_events: AuditEventsTable
  uploads: UploadsTable
  posts: PostsTable
  post_revisions: PostRevisionsTable
  post_slugs: PostSlugsTable
  tags: TagsTable
  post_tags: PostTagsTable
  micro_posts: MicroPostsTable
  micro_likes: MicroLikesTable
  micro_tags: MicroTagsTable
  comments: CommentsTable
  guideline_versions: GuidelineVersionsTable
  guideline_acceptances: GuidelineAcceptancesTable
  moderation_items: ModerationItemsTable
  reports: ReportsTable
  notifications: NotificationsTable
  notification_optouts: NotificationOptoutsTable
  queue_reminders: QueueRemindersTable
  feed_keys: FeedKeysTable
  search_pending: SearchPendingTable
  search_changes: SearchChangesTable
  wordpress_map: WordpressMapTable
  embed_cache: EmbedCacheTable
  outbox: OutboxTable
  mail_preferences: MailPreferencesTable
  mail_digests: MailDigestsTable
  password_resets: PasswordResetsTable
  sso_identities: SsoIdentitiesTable
  sso_pending: SsoPendingTable
  sso_sessions: SsoSessionsTable
  webhooks: WebhooksTable
  webhook_deliveries: WebhookDeliveriesTable
  audit_redactions: AuditRedactionsTable
  retention_rules: RetentionRulesTable
  user_follows: UserFollowsTable
  tag_follows: TagFollowsTable
  bookmarks: BookmarksTable
  job_leases: JobLeasesTable
  post_stewardship: PostStewardshipTable
  stats_page_views: StatsPageViewsTable
  stats_post_views: StatsPostViewsTable
  stats_readers: StatsReadersTable
  stats_summaries: StatsSummariesTable
  cache_changes: CacheChangesTable
}

export type UserRow = Selectable<UsersTable>
export type AuditEventRow = Selectable<AuditEventsTable>
