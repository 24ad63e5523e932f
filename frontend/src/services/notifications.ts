import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** Which roles an event notifies and its default channels. */
export type NotificationRule = components['schemas']['RuleResponse'];
/** One rule as `PUT /api/v1/notification-rules` takes it. */
export type RuleInput = components['schemas']['RuleRequest'];
/** A notification text for one event and language. */
export type NotificationTemplate = components['schemas']['TemplateResponse'];
/** My channels for one event. */
export type Preference = components['schemas']['PreferenceDto'];
/** My choice for one event. */
export type PreferenceInput = components['schemas']['PreferenceRequest'];

/** The rules, one per agent event (`GET /api/v1/notification-rules`; administrators). */
export async function listRules(): Promise<NotificationRule[]> {
  return unwrap(await api.GET('/api/v1/notification-rules')).items;
}

/** Replaces all rules at once; every event exactly once (`PUT /api/v1/notification-rules`). */
export async function setRules(rules: readonly RuleInput[]): Promise<NotificationRule[]> {
  return unwrap(await api.PUT('/api/v1/notification-rules', { body: { items: [...rules] } })).items;
}

/** Every template and the variables they may use (`GET /api/v1/notification-templates`). */
export async function listTemplates(): Promise<{ items: NotificationTemplate[]; variables: string[] }> {
  return unwrap(await api.GET('/api/v1/notification-templates'));
}

/** Replaces one template (`PUT /api/v1/notification-templates/{event}/{language}`; 422 `unknown_variable`). */
export async function setTemplate(event: string, language: string, input: { subject: string; body: string }): Promise<NotificationTemplate> {
  return unwrap(
    await api.PUT('/api/v1/notification-templates/{event}/{language}', { params: { path: { event, language } }, body: input }),
  );
}

/** My channels per event (`GET /api/v1/me/notification-preferences`). */
export async function listPreferences(): Promise<Preference[]> {
  return unwrap(await api.GET('/api/v1/me/notification-preferences')).items;
}

/** Stores my choices; events left out follow the rules (`PUT /api/v1/me/notification-preferences`). */
export async function setPreferences(choices: readonly PreferenceInput[]): Promise<Preference[]> {
  return unwrap(await api.PUT('/api/v1/me/notification-preferences', { body: { items: [...choices] } })).items;
}
