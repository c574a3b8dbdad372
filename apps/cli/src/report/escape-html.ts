/** Text made safe for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A number for people: 4 significant digits, a real minus sign. */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const s =
    a !== 0 && (a >= 1e6 || a < 1e-4) ? v.toExponential(digits - 1) : String(Number(v.toPrecision(digits)));
  return s.replace('-', '−');
}
