/** The variables text modules, salutations and signatures may use (docs/templates.md), shown literally. */
export const TEMPLATE_VARIABLES = [
  'customer_name',
  'customer_email',
  'ticket_number',
  'ticket_title',
  'queue',
  'subject',
  'agent_name',
  'agent_email',
  'sla_deadline',
] as const;

/** {@link TEMPLATE_VARIABLES} as `{{name}}` placeholders, comma-separated. */
export const TEMPLATE_VARIABLE_LIST = TEMPLATE_VARIABLES.map((name) => `{{${name}}}`).join(', ');
