import type { MyQueue, Right } from '../../services/me';

/**
 * What the signed-in agent may do, from `GET /api/v1/me/queues`: the rights per queue id, or
 * `null` when they could not be read (an older server, a failed call) — then every action is
 * offered and the API's 403 explains a missing right, as before the rights could be read.
 */
export type QueueRights = ReadonlyMap<number, ReadonlySet<Right>> | null;

/** The rights per queue of a `/me/queues` answer. */
export function rightsByQueue(queues: readonly MyQueue[]): ReadonlyMap<number, ReadonlySet<Right>> {
  return new Map(queues.map((queue) => [queue.id, new Set(queue.rights)]));
}

/** Whether the agent holds `right` in a queue (the server spells `rw` out, but a bare `rw` counts too). */
export function hasRight(rights: QueueRights, queueId: number, right: Right): boolean {
  if (rights === null) return true;
  const held = rights.get(queueId);
  return held !== undefined && (held.has(right) || held.has('rw'));
}

/** The ids of the queues where the agent holds `right` (`null`: unknown, offer all). */
export function queuesWith(rights: QueueRights, right: Right): ReadonlySet<number> | null {
  if (rights === null) return null;
  return new Set([...rights.keys()].filter((id) => hasRight(rights, id, right)));
}

/** The parts of a ticket its rights depend on. */
export interface TicketScope {
  queueId: number;
  ownerId: number | null;
  responsibleId: number | null;
}

/** The scope of a ticket as the API sends it. */
export function ticketScope(ticket: {
  queue: { id: number };
  owner?: { id: number } | null;
  responsible?: { id: number } | null;
}): TicketScope {
  return { queueId: ticket.queue.id, ownerId: ticket.owner?.id ?? null, responsibleId: ticket.responsible?.id ?? null };
}

/** The actions a ticket page (or a bulk change) offers. */
export interface TicketActions {
  /** Take the unowned ticket (`owner`). */
  take: boolean;
  /** Take it from another owner (`steal`). */
  steal: boolean;
  /** Give up ownership: one's own always, someone else's with `rw`. */
  release: boolean;
  /** Give the ticket to another agent: the owner, or `rw`. */
  give: boolean;
  /** Reply to the customer (`rw`). */
  reply: boolean;
  /** Internal note (`note`). */
  note: boolean;
  /** Title, state, type, service, responsible agent, other agents as watchers (`rw`). */
  edit: boolean;
  /** Priority (`priority`). */
  priority: boolean;
  /** Move out of its queue (`move_into` here); the targets are {@link TicketActions.moveTargets}. */
  move: boolean;
  /** Queues it may be moved into (`move_into` there; `null`: unknown, offer all). */
  moveTargets: ReadonlySet<number> | null;
}

/**
 * The actions the agent `me` may take on a ticket, as the server decides them: the rights of
 * the ticket's queue, and every right on a ticket one owns or is responsible for — except
 * that a move also needs `move_into` on the target queue, however the ticket is held.
 */
export function ticketActions(rights: QueueRights, ticket: TicketScope, me: number): TicketActions {
  const own = ticket.ownerId === me || ticket.responsibleId === me;
  const may = (right: Right) => own || hasRight(rights, ticket.queueId, right);
  const owned = ticket.ownerId !== null;
  return {
    take: !owned && may('owner'),
    steal: owned && ticket.ownerId !== me && may('steal'),
    release: ticket.ownerId === me || (owned && may('rw')),
    give: ticket.ownerId === me || may('rw'),
    reply: may('rw'),
    note: may('note'),
    edit: may('rw'),
    priority: may('priority'),
    move: may('move_into'),
    moveTargets: queuesWith(rights, 'move_into'),
  };
}

/** What a bulk change may offer: an action that at least one of the tickets allows. */
export interface BulkActions {
  state: boolean;
  priority: boolean;
  /** Queues to move into, when at least one ticket may leave its queue; `null`: unknown, all. */
  queueTargets: ReadonlySet<number> | null;
  move: boolean;
  ownerMe: boolean;
  ownerNone: boolean;
  ownerAgent: boolean;
}

/**
 * The bulk panel's fields for a selection: each offered when at least one selected ticket
 * allows it (the others are then refused one by one with the API's 403, as listed after the run).
 */
export function bulkActions(rights: QueueRights, tickets: readonly TicketScope[], me: number): BulkActions {
  const each = tickets.map((ticket) => ticketActions(rights, ticket, me));
  const any = (pick: (actions: TicketActions) => boolean) => each.some(pick);
  return {
    state: any((a) => a.edit),
    priority: any((a) => a.priority),
    move: any((a) => a.move) && (rights === null || (queuesWith(rights, 'move_into')?.size ?? 0) > 0),
    queueTargets: queuesWith(rights, 'move_into'),
    // Owner "me" is a take on an unowned ticket and a steal on another's.
    ownerMe: any((a) => a.take || a.steal),
    ownerNone: any((a) => a.release),
    ownerAgent: any((a) => a.give),
  };
}
