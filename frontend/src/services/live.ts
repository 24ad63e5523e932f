import { api } from '../api/client';
import { expectOk, unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** An in-app notification. */
export type Notification = components['schemas']['NotificationResponse'];
/** An agent on a ticket (`me` marks yourself). */
export type TicketPresence = components['schemas']['PresenceDto'];

/** My notifications, newest first, with the unread total for the bell (`GET /api/v1/me/notifications`). */
export async function listNotifications(unread: boolean, limit: number): Promise<{ items: Notification[]; unreadCount: number }> {
  const page = unwrap(await api.GET('/api/v1/me/notifications', { params: { query: { unread, limit } } }));
  return { items: page.items, unreadCount: page.unread_count };
}

/** Marks a notification read (`POST /api/v1/me/notifications/{id}/read`). */
export async function markNotificationRead(id: number): Promise<void> {
  expectOk(await api.POST('/api/v1/me/notifications/{id}/read', { params: { path: { id } } }));
}

/** Marks all my notifications read (`POST /api/v1/me/notifications/read-all`). */
export async function markAllNotificationsRead(): Promise<void> {
  expectOk(await api.POST('/api/v1/me/notifications/read-all'));
}

/** Who is on a ticket now, me included (`GET /api/v1/tickets/{ticket}/presence`). */
export async function getPresence(ticket: string): Promise<TicketPresence[]> {
  return unwrap(await api.GET('/api/v1/tickets/{ticket}/presence', { params: { path: { ticket } } })).items;
}

/** "I have this ticket open" (and am writing an answer or not); lasts 60 s (`PUT …/presence`). */
export async function announcePresence(ticket: string, composing: boolean): Promise<TicketPresence[]> {
  return unwrap(
    await api.PUT('/api/v1/tickets/{ticket}/presence', { params: { path: { ticket } }, body: { composing } }),
  ).items;
}

/** "I left the ticket" (`DELETE …/presence`). */
export async function leavePresence(ticket: string): Promise<void> {
  expectOk(await api.DELETE('/api/v1/tickets/{ticket}/presence', { params: { path: { ticket } } }));
}
