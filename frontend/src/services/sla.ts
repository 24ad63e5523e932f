import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';

/** A business calendar: time zone, working hours per weekday, holidays. */
export type Calendar = components['schemas']['CalendarResponse'];
/** Input for a new calendar. */
export type NewCalendar = components['schemas']['CreateCalendarRequest'];
/** Changes to a calendar (each part given replaces that part whole). */
export type CalendarChanges = components['schemas']['UpdateCalendarRequest'];
/** Working ranges per weekday (`"08:00-16:00"`). */
export type WorkingHours = components['schemas']['WorkingHoursDto'];
/** A service (hierarchical: `full_name` is its path, `IT::Printing`). */
export type Service = components['schemas']['ServiceResponse'];
/** Input for a new service. */
export type NewService = components['schemas']['CreateServiceRequest'];
/** Changes to a service (`null` clears). */
export type ServiceChanges = components['schemas']['UpdateServiceRequest'];
/** An SLA: targets in business minutes on a calendar. */
export type Sla = components['schemas']['SlaResponse'];
/** Input for a new SLA. */
export type NewSla = components['schemas']['CreateSlaRequest'];
/** Changes to an SLA (`null` clears a target or the warning). */
export type SlaChanges = components['schemas']['UpdateSlaRequest'];

/** All calendars, by name (`GET /api/v1/calendars`; administrators). */
export async function listCalendars(): Promise<Calendar[]> {
  return unwrap(await api.GET('/api/v1/calendars')).items;
}

/** One calendar (`GET /api/v1/calendars/{id}`). */
export async function getCalendar(id: number): Promise<Calendar> {
  return unwrap(await api.GET('/api/v1/calendars/{id}', { params: { path: { id } } }));
}

/** Creates a calendar (`POST /api/v1/calendars`). */
export async function createCalendar(input: NewCalendar): Promise<Calendar> {
  return unwrap(await api.POST('/api/v1/calendars', { body: input }));
}

/** Changes a calendar (`PATCH /api/v1/calendars/{id}`). */
export async function updateCalendar(id: number, changes: CalendarChanges): Promise<Calendar> {
  return unwrap(await api.PATCH('/api/v1/calendars/{id}', { params: { path: { id } }, body: changes }));
}

/** All services, by path (`GET /api/v1/services`; agents read). */
export async function listServices(): Promise<Service[]> {
  return unwrap(await api.GET('/api/v1/services')).items;
}

/** Creates a service (`POST /api/v1/services`). */
export async function createService(input: NewService): Promise<Service> {
  return unwrap(await api.POST('/api/v1/services', { body: input }));
}

/** Changes a service (`PATCH /api/v1/services/{id}`; 422 `cycle` on `parent_id`). */
export async function updateService(id: number, changes: ServiceChanges): Promise<Service> {
  return unwrap(await api.PATCH('/api/v1/services/{id}', { params: { path: { id } }, body: changes }));
}

/** All SLAs, by name (`GET /api/v1/slas`; agents read). */
export async function listSlas(): Promise<Sla[]> {
  return unwrap(await api.GET('/api/v1/slas')).items;
}

/** One SLA (`GET /api/v1/slas/{id}`). */
export async function getSla(id: number): Promise<Sla> {
  return unwrap(await api.GET('/api/v1/slas/{id}', { params: { path: { id } } }));
}

/** Creates an SLA (`POST /api/v1/slas`). */
export async function createSla(input: NewSla): Promise<Sla> {
  return unwrap(await api.POST('/api/v1/slas', { body: input }));
}

/** Changes an SLA (`PATCH /api/v1/slas/{id}`). */
export async function updateSla(id: number, changes: SlaChanges): Promise<Sla> {
  return unwrap(await api.PATCH('/api/v1/slas/{id}', { params: { path: { id } }, body: changes }));
}

/** A queue's default SLA id, or `null` (`GET /api/v1/queues/{id}/sla`). */
export async function getQueueSla(queueId: number): Promise<number | null> {
  return unwrap(await api.GET('/api/v1/queues/{id}/sla', { params: { path: { id: queueId } } })).sla_id ?? null;
}

/** Sets (or, with `null`, removes) a queue's default SLA (`PUT /api/v1/queues/{id}/sla`). */
export async function setQueueSla(queueId: number, slaId: number | null): Promise<number | null> {
  return (
    unwrap(await api.PUT('/api/v1/queues/{id}/sla', { params: { path: { id: queueId } }, body: { sla_id: slaId } })).sla_id ??
    null
  );
}
