import { describe, expect, it } from 'vitest';

import { afterLoginPath, homePath } from './paths';

describe('paths', () => {
  it('sends agents and customers to their areas', () => {
    expect(homePath({ kind: 'agent' })).toBe('/agent');
    expect(homePath({ kind: 'customer' })).toBe('/portal');
  });

  it('follows `next` only inside the app', () => {
    const agent = { kind: 'agent' } as const;
    expect(afterLoginPath('/admin/agents?x=1', agent)).toBe('/admin/agents?x=1');
    expect(afterLoginPath('//evil.example/x', agent)).toBe('/agent');
    expect(afterLoginPath('https://evil.example', agent)).toBe('/agent');
    expect(afterLoginPath('/login', agent)).toBe('/agent');
    expect(afterLoginPath(null, agent)).toBe('/agent');
  });
});
