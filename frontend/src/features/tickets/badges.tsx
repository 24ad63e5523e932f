import { Badge } from '@mantine/core';

import type { Ticket } from '../../services/tickets';
import { STATE_TYPE_COLORS } from './labels';

/** Badges show their whole text: a state's name is what the reader needs. */
const NO_TRUNCATION = {
  root: { maxWidth: 'none', flexShrink: 0 },
  label: { overflow: 'visible', textOverflow: 'clip' },
} as const;

/** A ticket's state as a badge, coloured by its type. */
export function StateBadge({ state }: { state: Ticket['state'] }) {
  return (
    <Badge variant="light" color={STATE_TYPE_COLORS[state.state_type]} tt="none" radius="sm" styles={NO_TRUNCATION}>
      {state.name}
    </Badge>
  );
}

const PRIORITY_COLORS: Record<number, string> = { 1: 'gray', 2: 'gray', 3: 'blue', 4: 'pink', 5: 'red' };

/** A ticket's priority as a badge: hotter colours for higher levels. */
export function PriorityBadge({ priority }: { priority: Ticket['priority'] }) {
  const color = PRIORITY_COLORS[Math.min(5, Math.max(1, priority.id))] ?? 'gray';
  return (
    <Badge variant="light" fw={priority.id >= 4 ? 800 : 600} color={color} tt="none" radius="sm" styles={NO_TRUNCATION}>
      {priority.name}
    </Badge>
  );
}
