import { describe, expect, it } from 'vitest';

import type { MyQueue, Right } from '../../services/me';
import { bulkActions, hasRight, queuesWith, rightsByQueue, ticketActions, type TicketScope } from './rights';

const ME = 7;
const queue = (id: number, rights: Right[]): MyQueue => ({ id, name: `Q${id}`, group_id: id, active: true, rights });
// Queue 1: read only; 2: note and owner; 3: everything; 4: move_into only.
const rights = rightsByQueue([
  queue(1, ['ro']),
  queue(2, ['ro', 'note', 'owner']),
  queue(3, ['ro', 'move_into', 'create', 'note', 'owner', 'steal', 'priority', 'rw']),
  queue(4, ['ro', 'move_into']),
]);
const ticket = (queueId: number, ownerId: number | null = null, responsibleId: number | null = null): TicketScope => ({
  queueId,
  ownerId,
  responsibleId,
});

describe('rights from /me/queues', () => {
  it('reads rights per queue; a bare rw implies the rest, a queue not listed has none', () => {
    expect(hasRight(rights, 2, 'note')).toBe(true);
    expect(hasRight(rights, 2, 'steal')).toBe(false);
    expect(hasRight(rightsByQueue([queue(5, ['rw'])]), 5, 'steal')).toBe(true);
    expect(hasRight(rights, 99, 'ro')).toBe(false);
    expect([...(queuesWith(rights, 'move_into') ?? [])]).toEqual([3, 4]);
  });

  it('offers nothing but reading on a ticket of a read-only queue', () => {
    expect(ticketActions(rights, ticket(1), ME)).toEqual({
      take: false,
      steal: false,
      release: false,
      give: false,
      reply: false,
      note: false,
      edit: false,
      priority: false,
      move: false,
      moveTargets: new Set([3, 4]),
    });
    // Someone else's ticket there: no steal, no release, no giving away either.
    const other = ticketActions(rights, ticket(1, 99), ME);
    expect([other.steal, other.release, other.give]).toEqual([false, false, false]);
  });

  it('offers take and notes with owner and note, but not a reply or a steal', () => {
    const actions = ticketActions(rights, ticket(2), ME);
    expect(actions).toMatchObject({ take: true, note: true, reply: false, edit: false, priority: false, move: false });
    expect(ticketActions(rights, ticket(2, 99), ME)).toMatchObject({ take: false, steal: false, release: false });
  });

  it('gives every right on a ticket one owns or is responsible for, but moves only into move_into queues', () => {
    const mine = ticketActions(rights, ticket(1, ME), ME);
    expect(mine).toMatchObject({ take: false, steal: false, release: true, give: true, reply: true, note: true, edit: true, priority: true, move: true });
    expect(mine.moveTargets).toEqual(new Set([3, 4]));
    const responsible = ticketActions(rights, ticket(1, 99, ME), ME);
    expect(responsible).toMatchObject({ steal: true, release: true, reply: true });
  });

  it('offers steal, release and give on another owner’s ticket with full rights', () => {
    expect(ticketActions(rights, ticket(3, 99), ME)).toMatchObject({ take: false, steal: true, release: true, give: true });
    expect(ticketActions(rights, ticket(3), ME)).toMatchObject({ take: true, steal: false, release: false, give: true });
  });

  it('offers everything when the rights are unknown (the API decides)', () => {
    const unknown = ticketActions(null, ticket(1, 99), ME);
    expect(unknown).toMatchObject({ steal: true, release: true, give: true, reply: true, note: true, edit: true, move: true });
    expect(unknown.moveTargets).toBeNull();
  });
});

describe('bulk actions', () => {
  it('offers a field when at least one selected ticket allows it', () => {
    expect(bulkActions(rights, [ticket(1), ticket(1, 99)], ME)).toEqual({
      state: false,
      priority: false,
      move: false,
      queueTargets: new Set([3, 4]),
      ownerMe: false,
      ownerNone: false,
      ownerAgent: false,
    });
    expect(bulkActions(rights, [ticket(1), ticket(2)], ME)).toMatchObject({ ownerMe: true, ownerNone: false, state: false });
    expect(bulkActions(rights, [ticket(1), ticket(4)], ME)).toMatchObject({ move: true, state: false });
    expect(bulkActions(rights, [ticket(1), ticket(3, 99)], ME)).toMatchObject({
      state: true,
      priority: true,
      move: true,
      ownerMe: true,
      ownerNone: true,
      ownerAgent: true,
    });
  });

  it('offers no move when the agent may move into no queue', () => {
    const noTargets = rightsByQueue([queue(1, ['ro']), queue(2, ['ro', 'note'])]);
    expect(bulkActions(noTargets, [ticket(1, ME)], ME).move).toBe(false);
  });
});
