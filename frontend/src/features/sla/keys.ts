/** Query keys of the SLA administration and the services. */
export const slaKeys = {
  calendars: ['calendars'] as const,
  calendar: (id: number) => ['calendars', id] as const,
  services: ['services'] as const,
  slas: ['slas'] as const,
  sla: (id: number) => ['slas', id] as const,
  queueSla: (queueId: number) => ['queues', queueId, 'sla'] as const,
};

/** Query keys of the notification settings. */
export const notificationKeys = {
  rules: ['notification-rules'] as const,
  templates: ['notification-templates'] as const,
  preferences: ['me', 'notification-preferences'] as const,
};
