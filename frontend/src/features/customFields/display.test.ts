import { describe, expect, it } from 'vitest';

import type { CustomField, CustomFieldType } from '../../services/customFields';
import { displayValue, type DisplayContext } from './display';
import { bulkFieldValues, fieldsForSelection, nameFields } from './selection';

function field(key: string, field_type: CustomFieldType, extra: Partial<CustomField> = {}): CustomField {
  return {
    id: key.length,
    object_type: 'ticket',
    key,
    field_type,
    labels: { en: key },
    required: false,
    customer_visibility: 'hidden',
    position: 0,
    active: true,
    options: [],
    created_at: '2026-12-01T00:00:00Z',
    updated_at: '2026-12-01T00:00:00Z',
    ...extra,
  };
}

const product = field('product', 'dropdown', {
  options: [
    { value: 'printer', labels: { en: 'Printer', de: 'Drucker' }, retired: false },
    { value: 'phone', labels: { en: 'Phone' }, retired: false },
  ],
});

function context(language: string, timeZone: string): DisplayContext {
  const locale = language === 'en' ? 'en-GB' : language;
  return {
    language,
    locale,
    format: {
      dateTime: (iso) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso)),
      number: (value) => new Intl.NumberFormat(locale).format(value),
    },
    yes: 'yes',
    no: 'no',
  };
}

describe('custom field values as read in a list', () => {
  it('names options in the reader’s language, falling back to English, then the value', () => {
    expect(displayValue(product, 'printer', context('de', 'UTC'))).toBe('Drucker');
    expect(displayValue(product, 'phone', context('de', 'UTC'))).toBe('Phone');
    expect(displayValue(product, 'gone', context('de', 'UTC'))).toBe('gone');
    const multi = field('parts', 'multiselect', { options: product.options });
    expect(displayValue(multi, ['printer', 'phone'], context('de', 'UTC'))).toBe('Drucker, Phone');
  });

  it('writes a date as its calendar day in any zone and a date-time in the user’s zone', () => {
    expect(displayValue(field('bought', 'date'), '2026-05-01', context('en', 'America/Los_Angeles'))).toBe('1 May 2026');
    const at = displayValue(field('due', 'datetime'), '2026-05-01T22:30:00Z', context('en', 'Europe/Oslo'));
    expect(at).toContain('2 May 2026');
    expect(at).toContain('00:30');
  });

  it('types numbers and checkboxes, and shows nothing without a value', () => {
    expect(displayValue(field('units', 'integer'), 12345, context('de', 'UTC'))).toBe('12.345');
    expect(displayValue(field('price', 'decimal'), '12.5', context('de', 'UTC'))).toBe('12,5');
    expect(displayValue(field('ok', 'checkbox'), true, context('en', 'UTC'))).toBe('yes');
    expect(displayValue(field('ok', 'checkbox'), false, context('en', 'UTC'))).toBe('no');
    expect(displayValue(field('units', 'integer'), undefined, context('en', 'UTC'))).toBeNull();
  });
});

describe('custom fields of a bulk change', () => {
  it('offers the fields that apply to at least one selected ticket', () => {
    const everywhere = field('everywhere', 'text');
    const queueTwo = field('queue_two', 'text', { queue_ids: [2] });
    const typeNine = field('type_nine', 'text', { type_ids: [9] });
    const retired = field('retired', 'text', { active: false });
    const all = [everywhere, queueTwo, typeNine, retired];
    expect(fieldsForSelection(all, [{ queueId: 1, typeId: null }]).map((f) => f.key)).toEqual(['everywhere']);
    expect(fieldsForSelection(all, [{ queueId: 1, typeId: null }, { queueId: 2, typeId: 9 }]).map((f) => f.key)).toEqual([
      'everywhere',
      'queue_two',
      'type_nine',
    ]);
  });

  it('sends only the fields given a value', () => {
    expect(bulkFieldValues({})).toBeUndefined();
    expect(bulkFieldValues({ product: null, parts: [] })).toBeUndefined();
    expect(bulkFieldValues({ product: 'printer', units: null, ok: false })).toEqual({ product: 'printer', ok: false });
  });

  it('names the fields of a refusal by their labels', () => {
    expect(nameFields('custom_fields.product: does not apply; custom_fields.gone: x', [product], 'de')).toBe(
      'product: does not apply; custom_fields.gone: x',
    );
    const labelled = { ...product, labels: { en: 'Product', de: 'Produkt' } };
    expect(nameFields('custom_fields.product: does not apply', [labelled], 'de')).toBe('Produkt: does not apply');
  });
});
