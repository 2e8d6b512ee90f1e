// Following people and tags. A follow is the follower's own choice and needs no consent; the person
// followed hears of it ("X følger deg", a notification kind they can turn off), and hears no more of it
// if it is taken back while still unread. Nobody follows themselves or a deactivated account.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ConflictError, NotFoundError } from '../errors.js'
import { requireActiveUser } from '../moderation/posting.js'
import { findUserByUsername } from '../users/queries.js'
import { findTagByName } from '../tags/queries.js'
import { tagPath } from '../posts/post.js'
import { notify, withdrawFromNotification, type NewNotification } from '../notifications/service.js'
import { deleteTagFollow, deleteUserFollow, insertTagFollow, insertUserFollow, isFollowingTag, isFollowingUser } from './queries.js'

const followNotice = (actor: CurrentUser, followedId: number): NewNotification => ({
  kind: 'follow', actorId: actor.id, subjectType: 'user', subjectId: followedId,
  data: { href: `/users/${encodeURIComponent(actor.username)}` },
})

/** Starts following a person; returns their id. Following again changes nothing. */
export async function followUser(db: Kysely<DB>, actor: CurrentUser, username: string, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await requireActiveUser(trx, actor.id)
    const person = await findUserByUsername(trx, username)
    if (!person) throw new NotFoundError('user')
    if (person.id === actor.id) throw new ConflictError('following oneself', 'following.self')
    if (!person.is_active) throw new ConflictError('following a deactivated account', 'following.inactive')
    if (await insertUserFollow(trx, actor.id, person.id, now.toISOString())) await notify(trx, person.id, followNotice(actor, person.id), now)
    return person.id
  })
}

/** Stops following a person (also one deactivated meanwhile); returns their id. */
export async function unfollowUser(db: Kysely<DB>, actor: CurrentUser, username: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const person = await findUserByUsername(trx, username)
    if (!person) throw new NotFoundError('user')
    if (await deleteUserFollow(trx, actor.id, person.id)) await withdrawFromNotification(trx, person.id, followNotice(actor, person.id))
    return person.id
  })
}

export async function followTag(db: Kysely<DB>, actor: CurrentUser, name: string, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await requireActiveUser(trx, actor.id)
    const tag = await findTagByName(trx, name)
    if (!tag) throw new NotFoundError('tag')
    await insertTagFollow(trx, actor.id, tag.id, now.toISOString())
    return tag.id
  })
}

export async function unfollowTag(db: Kysely<DB>, actor: CurrentUser, name: string): Promise<number> {
  const tag = await findTagByName(db, name)
  if (!tag) throw new NotFoundError('tag')
  await deleteTagFollow(db, actor.id, tag.id)
  return tag.id
}

/** What a follow button needs: `action` is the path the follow/unfollow form posts to (plus /follow or /unfollow). */
export interface FollowButton { kind: 'user' | 'tag'; id: number; name: string; action: string; on: boolean }

export const personButton = (id: number, username: string, name: string, on: boolean): FollowButton =>
  ({ kind: 'user', id, name, action: `/users/${encodeURIComponent(username)}`, on })
export const tagButton = (id: number, name: string, on: boolean): FollowButton =>
  ({ kind: 'tag', id, name, action: tagPath(name), on })

/** The follow button of an author page: none for visitors, for oneself and for a deactivated person. */
export async function personFollowButton(db: Kysely<DB>, viewer: CurrentUser | null, person: { id: number; username: string; display_name: string; is_active: number }): Promise<FollowButton | undefined> {
  if (!viewer || viewer.id === person.id || !person.is_active) return undefined
  return personButton(person.id, person.username, person.display_name, await isFollowingUser(db, viewer.id, person.id))
}

/** The follow button of a tag page, for logged-in readers. */
export async function tagFollowButton(db: Kysely<DB>, viewer: CurrentUser | null, tag: { id: number; name: string }): Promise<FollowButton | undefined> {
  if (!viewer) return undefined
  return tagButton(tag.id, tag.name, await isFollowingTag(db, viewer.id, tag.id))
}
