/**
 * The product's name and look. Branding will become configurable through the API; until then
 * these are the defaults every screen reads from here (never hard-coded elsewhere).
 */
export const branding = {
  /** Product name in the header and the page titles. */
  productName: 'Vakt',
  /** Mantine primary colour. */
  primaryColor: 'blue',
} as const;
