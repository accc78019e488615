import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A JSON export read a piece at a time: `{"meta":{...},"events":[{...},...],...}` yields the meta
 * object whole and each array element on its own, so memory stays bounded by one piece however large
 * the file is (JSON.parse of a whole hostile file took 17 times its size). Each piece is parsed with
 * JSON.parse, which also rejects anything malformed the scan let through.
 */

export interface JsonEntry {
  /** The top-level key this came from. */
  key: string;
  /** True for one element of a top-level array; false for a whole top-level value. */
  item: boolean;
  value: unknown;
}

const CHUNK = 1 << 20;
/** Rows are flat objects inside the top-level arrays: three levels deep. More is not ours. */
const MAX_DEPTH = 6;
const [QUOTE, BACKSLASH, COMMA, OPEN_OBJ, CLOSE_OBJ, OPEN_ARR, CLOSE_ARR] = [0x22, 0x5c, 0x2c, 0x7b, 0x7d, 0x5b, 0x5d];
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** A top-level value that is neither a list nor an object (`"events":"x"`): yielded whole, so a reader can say it is not a list. */
const smallEntries = (small: [string, unknown][]): JsonEntry[] => small.map(([key, value]) => ({ key, item: false, value }));

/**
 * Throws an Error whose message says what is wrong, in words for staff. The elements of a list under a key `skipList`
 * names are scanned (their strings and brackets followed) but not parsed or kept; `skipped` is told how many there were.
 */
export function* jsonEntries(path: string, maxPiece: number, skipList: (key: string) => boolean = () => false, skipped: (key: string, n: number) => void = () => {}): Generator<JsonEntry> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let mode: 'start' | 'top' | 'value' | 'items' | 'end' = 'start';
    let depth = 0;
    let inString = false;
    let escaped = false;
    let key = '';
    // Inside a list `skip` names: elements counted, their bytes neither kept nor parsed (20 million took 23 s).
    let skipping = false;
    let count = 0;
    let seen = false;
    // The piece being read (text between top-level values, or one value): copies of its bytes.
    const parts: Buffer[] = [];
    let size = 0;
    let from = 0;
    const keep = (to: number): void => {
      if (to <= from) return;
      size += to - from;
      if (size > maxPiece) throw new Error(`one entry is larger than ${Math.round(maxPiece / 1024)} KB`);
      parts.push(Buffer.from(buf.subarray(from, to)));
    };
    const take = (to: number): string => {
      keep(to);
      const text = Buffer.concat(parts, size).toString('utf8');
      parts.length = 0;
      size = 0;
      return text;
    };
    const parse = (text: string): unknown => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error(`an entry in “${key}” is not valid JSON`);
      }
    };
    // The UTF-8 BOM an editor adds on saving the file again (Windows Notepad does) is not part of the JSON.
    for (let n = readSync(fd, buf, 0, CHUNK, null), first = true; n > 0; n = readSync(fd, buf, 0, CHUNK, null), first = false) {
      from = 0;
      const skip = first && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      for (let i = skip; i < n; i++) {
        const c = buf[i]!;
        if (mode === 'start' || mode === 'end') {
          if (isSpace(c)) continue;
          if (mode === 'end') throw new Error('there is more after its end');
          if (c !== OPEN_OBJ) throw new Error('it does not start with “{”');
          mode = 'top';
          depth = 1;
          from = i + 1;
          continue;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
          continue;
        }
        if (skipping && !isSpace(c) && !(depth === 2 && (c === COMMA || c === CLOSE_ARR))) seen = true;
        if (c === QUOTE) inString = true;
        else if (mode === 'top') {
          if (c === OPEN_OBJ || c === OPEN_ARR) {
            const top = members(take(i), 'null');
            yield* smallEntries(top.small);
            key = top.key;
            depth = 2;
            mode = c === OPEN_OBJ ? 'value' : 'items';
            from = c === OPEN_OBJ ? i : i + 1;
            skipping = mode === 'items' && skipList(key);
            count = 0;
          } else if (c === CLOSE_OBJ) {
            yield* smallEntries(members(take(i), '').small);
            mode = 'end';
          }
        } else if (c === OPEN_OBJ || c === OPEN_ARR) {
          if (++depth > MAX_DEPTH) throw new Error(`it nests deeper than ${MAX_DEPTH} levels`);
        } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
          if (mode === 'value' && depth === 2) {
            yield { key, item: false, value: parse(take(i + 1)) };
            mode = 'top';
            depth = 1;
            from = i + 1;
          } else if (mode === 'items' && depth === 2) {
            if (c !== CLOSE_ARR) throw new Error(`the list “${key}” is not closed properly`);
            if (skipping) {
              skipping = false;
              skipped(key, count + (seen ? 1 : 0));
              seen = false;
            } else {
              const last = take(i);
              if (last.trim()) yield { key, item: true, value: parse(last) };
            }
            mode = 'top';
            depth = 1;
            from = i + 1;
          } else depth--;
        } else if (c === COMMA && mode === 'items' && depth === 2 && skipping) {
          if (!seen) throw new Error(`the list “${key}” has an empty entry`);
          count++;
          seen = false;
        } else if (c === COMMA && mode === 'items' && depth === 2) {
          const piece = take(i);
          if (!piece.trim()) throw new Error(`the list “${key}” has an empty entry`);
          yield { key, item: true, value: parse(piece) };
          from = i + 1;
        }
      }
      if (mode !== 'start' && mode !== 'end' && !skipping) keep(n);
    }
    if (mode !== 'end') throw new Error('it ends early (the file is cut off)');
  } finally {
    closeSync(fd);
  }
}

/**
 * Text between top-level values, parsed as the members it should be: `,"note":"x"` or nothing before the closing
 * brace (`open` ''), or `,"note":"x","events":` before a list or object (`open` 'null'). Returns its small values,
 * in order and each under its own key (JSON.parse would keep one of two alike), and the key left open, if any.
 */
function members(text: string, open: string): { small: [string, unknown][]; key: string } {
  try {
    JSON.parse(`{${text.replace(/^\s*,/, '')}${open}}`);
  } catch {
    throw new Error('its top level is not a set of named entries');
  }
  // Valid by now, so only texts and bare words (numbers, true, false, null): key, value, key, value, … in one
  // linear pass (a backward search for the key rescanned a long value of escaped quotes: minutes for 512 KB).
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|[^\s,:"]+/g) ?? [];
  const small: [string, unknown][] = [];
  for (let i = 0; i + 1 < tokens.length; i += 2) small.push([JSON.parse(tokens[i]!) as string, JSON.parse(tokens[i + 1]!) as unknown]);
  return { small, key: tokens.length % 2 ? (JSON.parse(tokens.at(-1)!) as string) : '' };
}
