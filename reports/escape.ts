/**
 * The one escaper for text that goes into HTML: every string that came from a scenario, a
 * history, a check or a file passes through here before it reaches the page. (SVG charts are
 * built through a DOM with d3's .text()/.attr(), which the serializer escapes itself.)
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
