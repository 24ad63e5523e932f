import { createTheme } from '@mantine/core';

import { branding } from './branding';

/**
 * The Mantine theme. Shade 8 of the primary colour keeps white button text above the WCAG AA
 * contrast ratio (shade 6, Mantine's default, is below it); focus rings show for keyboard use.
 */
export const theme = createTheme({
  primaryColor: branding.primaryColor,
  primaryShade: 8,
  focusRing: 'auto',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  defaultRadius: 'sm',
});
