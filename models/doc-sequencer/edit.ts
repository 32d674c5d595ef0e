/**
 * A user's edit as typed, in positions of the text the user saw (Unicode code points, which is
 * what ot-text-unicode counts). Every position model turns it into its own wire op.
 */
export type Edit =
  | { readonly kind: 'ins'; readonly pos: number; readonly text: string }
  | { readonly kind: 'del'; readonly pos: number; readonly len: number };

/** Code points of a string (ot-text-unicode's unit). */
export const codePoints = (s: string): string[] => Array.from(s);

/** UTF-8 size of a wire value as JSON: the figure "bytes on the wire" uses. */
export function jsonBytes(v: unknown): number {
  return Buffer.byteLength(JSON.stringify(v), 'utf8');
}
