import { useRouteError } from 'react-router';

import { ErrorPage } from './ErrorPage';

/**
 * Shown when a route fails to render or its code fails to load (e.g. a lazy chunk of an
 * older deployment is gone): "Try again" reloads the app.
 */
export function RouteError() {
  const error = useRouteError();
  return <ErrorPage error={error} onRetry={() => window.location.reload()} />;
}
