// The explicit, ordered list of migrations. Add new files at the end; never edit one that has landed.
import type { Migration } from 'kysely'
import * as m0001 from './0001_create_accounts.js'
import * as m0002 from './0002_create_settings_and_audit.js'
import * as m0003 from './0003_create_posts.js'
import * as m0004 from './0004_create_microblog_and_comments.js'
import * as m0005 from './0005_create_post_revisions.js'
import * as m0006 from './0006_add_post_review_columns.js'
import * as m0010 from './0010_create_moderation.js'
import * as m0011 from './0011_create_notifications.js'
import * as m0020 from './0020_create_search_index.js'
import * as m0021 from './0021_create_feed_keys.js'
import * as m0030 from './0030_create_wordpress_map.js'
import * as m0040 from './0040_create_guidelines.js'
import * as m0041 from './0041_index_notifications_by_subject.js'
import * as m0065 from './0065_create_embed_cache.js'
import * as m0080 from './0080_create_outbox.js'
import * as m0081 from './0081_create_mail_preferences.js'
import * as m0070 from './0070_create_sso.js'
import * as m0090 from './0090_create_webhooks.js'
import * as m0100 from './0100_add_user_theme.js'
import * as m0110 from './0110_create_audit_redactions.js'
import * as m0111 from './0111_create_retention_rules.js'
import * as m0150 from './0150_create_follows_and_bookmarks.js'
import * as m0160 from './0160_create_post_stewardship.js'
import * as m0161 from './0161_create_statistics.js'
import * as m0140 from './0140_add_profile_fields.js'
import * as m0180 from './0180_create_job_leases.js'
import * as m0190 from './0190_create_cache_changes.js'
import * as m0191 from './0191_cache_changes_for_stewardship.js'
import * as m0210 from './0210_index_published_posts_nulls_last.js'
import * as m0211 from './0211_notify_cache_changes.js'
import * as m0230 from './0230_feed_key_changes_per_person.js'
import * as m0231 from './0231_index_search_prefixes.js'
import * as m0240 from './0240_create_search_changes.js'
import * as m0241 from './0241_cache_changes_per_update_and_tag.js'
import * as m0242 from './0242_cache_changes_for_sessions.js'
import * as m0243 from './0243_search_index_per_kind.js'
import * as m0244 from './0244_micro_visible_index.js'
import * as m0245 from './0245_index_posts_by_title.js'

export const migrations: Record<string, Migration> = {
  '0001_create_accounts': m0001,
  '0002_create_settings_and_audit': m0002,
  '0003_create_posts': m0003,
  '0004_create_microblog_and_comments': m0004,
  '0005_create_post_revisions': m0005,
  '0006_add_post_review_columns': m0006,
  '0010_create_moderation': m0010,
  '0011_create_notifications': m0011,
  '0020_create_search_index': m0020,
  '0021_create_feed_keys': m0021,
  '0030_create_wordpress_map': m0030,
  '0040_create_guidelines': m0040,
  '0041_index_notifications_by_subject': m0041,
  '0065_create_embed_cache': m0065,
  '0080_create_outbox': m0080,
  '0081_create_mail_preferences': m0081,
  '0070_create_sso': m0070,
  '0090_create_webhooks': m0090,
  '0100_add_user_theme': m0100,
  '0110_create_audit_redactions': m0110,
  '0111_create_retention_rules': m0111,
  '0150_create_follows_and_bookmarks': m0150,
  '0160_create_post_stewardship': m0160,
  '0161_create_statistics': m0161,
  '0140_add_profile_fields': m0140,
  '0180_create_job_leases': m0180,
  '0190_create_cache_changes': m0190,
  '0191_cache_changes_for_stewardship': m0191,
  '0210_index_published_posts_nulls_last': m0210,
  '0211_notify_cache_changes': m0211,
  '0230_feed_key_changes_per_person': m0230,
  '0231_index_search_prefixes': m0231,
  '0240_create_search_changes': m0240,
  '0241_cache_changes_per_update_and_tag': m0241,
  '0242_cache_changes_for_sessions': m0242,
  '0243_search_index_per_kind': m0243,
  '0244_micro_visible_index': m0244,
  '0245_index_posts_by_title': m0245,
}
