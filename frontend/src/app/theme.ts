import { createTheme, type CSSVariablesResolver } from '@mantine/core';

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

/**
 * Contrast fixes for the light scheme (checked by the axe scans of the e2e tests): Mantine
 * draws dimmed text (descriptions, hints, section labels) in gray 6 and the "light" variant
 * (active navigation, badges, alerts) on shade 1–2 tints, both below the WCAG AA ratio of 4.5
 * with their text. Dimmed text becomes gray 7, light tints shade 0 (hover shade 1).
 * Green stays below 4.5 even then: status colours use teal instead.
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  };
  for (const name of Object.keys(resolved.colors)) {
    light[`--mantine-color-${name}-light`] = `var(--mantine-color-${name}-0)`;
    light[`--mantine-color-${name}-light-hover`] = `var(--mantine-color-${name}-1)`;
    light[`--mantine-color-${name}-light-color`] = `var(--mantine-color-${name}-9)`;
  }
  return { variables: {}, light, dark: {} };
};
