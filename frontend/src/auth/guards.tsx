import { Navigate, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';

import { PageLoader } from '../components/PageLoader';
import { useGroupAccess } from '../features/admin/groupAccess';
import { ErrorPage } from '../layout/ErrorPage';
import { Forbidden } from '../layout/Forbidden';
import type { User } from '../services/me';
import { useAuth, useUser } from './context';
import { homePath } from './paths';

/** Renders its routes only with a session and a loaded user; otherwise sends to the login. */
export function RequireSession() {
  const { t } = useTranslation();
  const { status, endReason, error, retry } = useAuth();
  const location = useLocation();
  if (status === 'signed-out') {
    const next = `${location.pathname}${location.search}`;
    const params = new URLSearchParams();
    if (next !== '/') params.set('next', next);
    if (endReason === 'expired') params.set('expired', '1');
    const query = params.toString();
    return <Navigate to={`/login${query ? `?${query}` : ''}`} replace />;
  }
  if (status === 'loading') return <PageLoader label={t('common.loading')} />;
  if (status === 'error') return <ErrorPage error={error} onRetry={retry} />;
  return <Outlet />;
}

/** Sends the user to the home of their area. */
export function HomeRedirect() {
  return <Navigate to={homePath(useUser())} replace />;
}

/** Renders its routes for agents or for customers only; others see "forbidden". */
export function RequireKind({ kind }: { kind: User['kind'] }) {
  const user = useUser();
  return user.kind === kind ? <Outlet /> : <Forbidden />;
}

/** Renders its routes for administrators only; others see "forbidden". */
export function RequireAdmin() {
  const user = useUser();
  return user.kind === 'agent' && user.is_admin ? <Outlet /> : <Forbidden />;
}

/** Renders its routes for those who may administer groups: administrators and queue managers. */
export function RequireGroupAccess() {
  const { t } = useTranslation();
  const access = useGroupAccess();
  if (access === null) return <PageLoader label={t('common.loading')} />;
  return access ? <Outlet /> : <Forbidden />;
}
