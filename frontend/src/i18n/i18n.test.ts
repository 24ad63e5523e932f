import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import de from './locales/de.json';
import en from './locales/en.json';
import nb from './locales/nb.json';
import nl from './locales/nl.json';

const locales: Record<string, Record<string, string>> = { en, nl, nb, de };
const srcDir = resolve(__dirname, '..');
const PLURAL_SUFFIXES = ['_zero', '_one', '_two', '_few', '_many', '_other'];

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Whether `key` resolves in English, directly or through plural forms. */
function known(key: string): boolean {
  return key in en || PLURAL_SUFFIXES.some((suffix) => `${key}${suffix}` in en);
}

describe('translations', () => {
  for (const [language, messages] of Object.entries(locales)) {
    it(`${language} has exactly the English keys, none empty, with the same placeholders`, () => {
      expect(Object.keys(messages).filter((key) => !(key in en))).toEqual([]);
      expect(Object.keys(en).filter((key) => !(key in messages))).toEqual([]);
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), `${language}: ${key}`).not.toBe('');
        expect(placeholders(text), `${language}: ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    });
  }

  it('has every key the source uses', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      const keys = [
        ...[...text.matchAll(/\bt\(\s*'([^']+)'/g)].map((m) => m[1] ?? ''),
        ...[...text.matchAll(/labelKey: '([^']+)'/g)].map((m) => m[1] ?? ''),
      ];
      for (const key of keys) if (!known(key)) missing.push(`${file.slice(srcDir.length)}: ${key}`);
    }
    expect(missing).toEqual([]);
  });

  it('has a message for every error code the API documents', () => {
    const design = readFileSync(resolve(srcDir, '../../docs/API-DESIGN.md'), 'utf8');
    const problemCodes = [...design.matchAll(/^\| `([a-z_]+)` \| \d{3} \|/gm)].map((m) => m[1] ?? '');
    const fieldLine = /Field-level codes include ([^.]+)\./s.exec(design)?.[1] ?? '';
    // Codes are the backticked words outside parentheses (those explain, e.g. `group_id`).
    const fieldCodes = [...fieldLine.replace(/\([^)]*\)/g, '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? '');
    expect(problemCodes.length).toBeGreaterThan(15);
    expect(fieldCodes.length).toBeGreaterThan(5);
    expect(problemCodes.filter((code) => !(`errors.${code}` in en))).toEqual([]);
    expect(fieldCodes.filter((code) => !(`errors.field.${code}` in en))).toEqual([]);
  });
});
