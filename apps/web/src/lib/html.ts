/**
 * Text inserted into HTML that a library renders as HTML (ECharts tooltips): every value that comes from
 * the server or the user goes through this, so a name like `<img src=x onerror=…>` shows as text.
 */
export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
