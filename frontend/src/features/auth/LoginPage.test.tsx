import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { session } from '../../api/client';
import { renderRoutes } from '../../test/render';
import { LoginPage } from './LoginPage';

function problem(status: number, code: string, extra: object = {}) {
  return new Response(JSON.stringify({ type: `urn:vakt:problem:${code}`, title: code, status, detail: code, code, ...extra }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

async function submit(email: string, password: string) {
  await renderRoutes([{ path: '/login', element: <LoginPage /> }], '/login');
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText(/^Email/), email);
  await user.type(screen.getByLabelText(/^Password/), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    session.end('signed_out');
  });

  it('shows a field error from the API beside its field, translated', async () => {
    vi.stubGlobal('fetch', vi.fn(() =>
      Promise.resolve(problem(422, 'validation_failed', {
        errors: { email: ['must be a valid email address'] },
        error_codes: { email: ['invalid_email'] },
      })),
    ));
    await submit('not-an-email', 'whatever');
    const email = screen.getByLabelText(/^Email/);
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    const described = (email.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('Enter a valid email address.');
    expect(screen.getByRole('alert').textContent).toContain('Please correct the marked fields.');
  });

  it('says so when the email or password is wrong, and starts no session', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.resolve(problem(401, 'invalid_credentials'))));
    await submit('kari@example.org', 'wrong');
    expect((await screen.findByRole('alert')).textContent).toContain('Wrong email or password.');
    expect(session.hasSession()).toBe(false);
  });
});
