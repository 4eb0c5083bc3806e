/* Text helpers: code points to UTF-16 units, and carrying spans across an edit. */

/** A function mapping a code-point index into `text` to a UTF-16 index. */
export function codePointIndex(text) {
  const units = [0];
  let u = 0;
  for (const ch of text) {
    u += ch.length;
    units.push(u);
  }
  return (cp) => units[Math.max(0, Math.min(cp, units.length - 1))];
}

const WORD = /[\p{L}\p{N}_'’-]/u;
const isWordChar = (ch) => ch !== undefined && ch !== "" && WORD.test(ch);

/** The single changed region between two strings: [start, oldEnd) became [start, newEnd). */
function diffRegion(oldText, newText) {
  let start = 0;
  const max = Math.min(oldText.length, newText.length);
  while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/** Carry spans [start, end) from oldText over to newText; spans the edit touched are dropped (null). */
function mapSpan(span, oldText, newText, region) {
  const { start, oldEnd, newEnd } = region;
  const delta = newEnd - oldEnd;
  if (span.end < start) return { start: span.start, end: span.end };
  if (span.start > oldEnd) return { start: span.start + delta, end: span.end + delta };
  if (span.end === start && span.start < start) {
    // An edit right after the span: typing "s" after a word changes the word, a space does not.
    if (isWordChar(oldText[start]) || isWordChar(newText[start])) return null;
    return { start: span.start, end: span.end };
  }
  if (span.start === oldEnd && span.end > span.start) {
    // An edit right before the span.
    if (isWordChar(oldText[oldEnd - 1]) || isWordChar(newText[newEnd - 1])) return null;
    return { start: span.start + delta, end: span.end + delta };
  }
  return null;
}

export function carrySuggestions(list, oldText, newText) {
  if (oldText === newText) return list;
  const region = diffRegion(oldText, newText);
  const out = [];
  for (const s of list) {
    const m = mapSpan(s, oldText, newText, region);
    if (m && newText.slice(m.start, m.end) === s.span) out.push({ ...s, start: m.start, end: m.end });
  }
  return out;
}
