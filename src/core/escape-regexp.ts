/** `text` matched literally inside a RegExp (also with the `u` flag, which refuses needless escapes). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
