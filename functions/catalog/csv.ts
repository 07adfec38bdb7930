/**
 * CSV (RFC 4180) for bulk product import: a small, dependency-free parser that reports structural
 * errors by physical line, and the mapping of one product row to the JSON shape of a product write.
 * Values are only converted where that is unambiguous; everything else is passed through so that
 * schema validation reports it precisely.
 */

/** Limits of `parseCsv`; both default to `DEFAULT_CSV_LIMITS`. */
export interface CsvOptions {
  /** Most data rows (the header not counted). */
  maxRows?: number;
  /** Most characters in one field (after unquoting). */
  maxFieldLength?: number;
}

/** Default limits of `parseCsv`. */
export const DEFAULT_CSV_LIMITS: Required<CsvOptions> = { maxRows: 100_000, maxFieldLength: 10_000 };

/** One data row: the 1-based physical line it starts on and its values by header name. */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

/** A structural error at the 1-based physical line where the offending record starts. */
export interface CsvError {
  line: number;
  message: string;
}

/** The outcome of `parseCsv`. */
export type CsvResult = { ok: true; header: string[]; rows: CsvRow[] } | { ok: false; error: CsvError };

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/** Counts line ends (LF, CRLF or a lone CR) in `text[from, to)`. */
function lineEnds(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

/**
 * Parses CSV text (RFC 4180; LF, CRLF or CR line ends; optional BOM; trailing empty lines ignored;
 * NFC-normalised). The first record is the header: names are trimmed and lower-cased and must be
 * non-empty and unique. Quoted values are kept verbatim, including their line ends.
 */
export function parseCsv(text: string, opts: CsvOptions = {}): CsvResult {
  const maxRows = opts.maxRows ?? DEFAULT_CSV_LIMITS.maxRows;
  const maxFieldLength = opts.maxFieldLength ?? DEFAULT_CSV_LIMITS.maxFieldLength;
  const src = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).normalize('NFC');
  let n = src.length;
  while (n > 0 && (src.charCodeAt(n - 1) === LF || src.charCodeAt(n - 1) === CR)) n--;
  if (n === 0) return { ok: false, error: { line: 1, message: 'The file is empty: no header row' } };

  let pos = 0;
  let line = 1;

  /** Reads the record at `pos`, advancing `pos` and `line` past it. */
  const readRecord = (): string[] | CsvError => {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (src.charCodeAt(pos) === QUOTE) {
        const open = pos;
        value = '';
        let from = pos + 1;
        for (;;) {
          const q = src.indexOf('"', from);
          if (q < 0 || q >= n) {
            return { line: start, message: `Unterminated quoted field (opened on line ${line})` };
          }
          value += src.slice(from, q);
          if (src.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
          } else {
            pos = q + 1;
            break;
          }
        }
        line += lineEnds(src, open, pos);
        const next = src.charCodeAt(pos);
        if (pos < n && next !== COMMA && next !== LF && next !== CR) {
          return { line: start, message: `Unexpected character after a closing quote on line ${line}` };
        }
      } else {
        let end = pos;
        while (end < n) {
          const c = src.charCodeAt(end);
          if (c === COMMA || c === LF || c === CR) break;
          end++;
        }
        value = src.slice(pos, end);
        pos = end;
      }
      if (value.length > maxFieldLength) {
        const message = `Field ${fields.length + 1} is longer than ${maxFieldLength} characters`;
        return { line: start, message };
      }
      fields.push(value);
      if (pos >= n) return fields;
      const c = src.charCodeAt(pos);
      if (c === COMMA) {
        pos++;
        continue;
      }
      pos += c === CR && src.charCodeAt(pos + 1) === LF ? 2 : 1; // a line end
      line++;
      return fields;
    }
  };

  const headerFields = readRecord();
  if (!Array.isArray(headerFields)) return { ok: false, error: headerFields };
  const header = headerFields.map((h) => h.trim().toLowerCase());
  const seen = new Set<string>();
  for (let i = 0; i < header.length; i++) {
    const name = header[i]!;
    if (name === '') return { ok: false, error: { line: 1, message: `Header column ${i + 1} has no name` } };
    if (seen.has(name))
      return { ok: false, error: { line: 1, message: `Header column "${name}" appears more than once` } };
    seen.add(name);
  }

  // Rows are copies of one template, so they share its (fast) shape however many columns there are,
  // and a column named "__proto__" is an own property, as with JSON.parse.
  const template: Record<string, string> = Object.fromEntries(header.map((name) => [name, '']));
  const rows: CsvRow[] = [];
  while (pos < n) {
    const start = line;
    if (rows.length >= maxRows)
      return { ok: false, error: { line: start, message: `More than ${maxRows} data rows` } };
    const fields = readRecord();
    if (!Array.isArray(fields)) return { ok: false, error: fields };
    if (fields.length !== header.length) {
      const message = `Expected ${header.length} fields (as in the header), found ${fields.length}`;
      return { ok: false, error: { line: start, message } };
    }
    const values = { ...template };
    for (let i = 0; i < header.length; i++) values[header[i]!] = fields[i]!;
    rows.push({ line: start, values });
  }
  return { ok: true, header, rows };
}

type Kind = 'string' | 'integer' | 'decimal' | 'boolean' | 'list';

/** How each known column of a product import is mapped, and whether an empty value is omitted. */
const PRODUCT_COLUMNS: Record<string, { kind: Kind; optional?: true }> = {
  sku: { kind: 'string' },
  name_en: { kind: 'string' },
  name_vi: { kind: 'string' },
  description_en: { kind: 'string', optional: true },
  description_vi: { kind: 'string', optional: true },
  category: { kind: 'string' },
  brand: { kind: 'string' },
  manufacturer: { kind: 'string', optional: true },
  unit: { kind: 'string' },
  size: { kind: 'decimal' },
  sold_by: { kind: 'string' },
  price_vnd: { kind: 'integer' },
  price_per_kg_vnd: { kind: 'integer', optional: true },
  nominal_weight_g: { kind: 'integer', optional: true },
  dietary: { kind: 'list' },
  tags: { kind: 'list' },
  is_perishable: { kind: 'boolean' },
  shelf_life_days: { kind: 'integer', optional: true },
  tax_category: { kind: 'string', optional: true },
  image_urls: { kind: 'list' },
  status: { kind: 'string', optional: true },
};

const COLUMN_LIST = Object.entries(PRODUCT_COLUMNS);
const KNOWN = new Set(Object.keys(PRODUCT_COLUMNS));
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};

/** Converts a trimmed cell to its JSON value, or passes it through when it does not convert. */
function convert(kind: Kind, value: string): unknown {
  switch (kind) {
    case 'string':
      return value;
    case 'integer':
      // Integers only: "35.000" is 35 thousand in Vietnamese notation, never 35.
      return INTEGER.test(value) ? Number(value) : value;
    case 'decimal':
      return DECIMAL.test(value) ? Number(value) : value;
    case 'boolean': {
      const b = BOOLEANS[value.toLowerCase()];
      return b === undefined ? value : b;
    }
    case 'list': {
      const items: string[] = [];
      if (value !== '')
        for (const item of value.split('|')) {
          const trimmed = item.trim();
          if (trimmed !== '') items.push(trimmed);
        }
      return items;
    }
  }
}

/**
 * Maps one product-import row to the JSON shape of a product write: known columns trimmed and
 * converted (plain integer/decimal literals to numbers, true/false/1/0/yes/no to booleans,
 * `|`-separated lists to arrays), empty optional columns omitted, anything unconvertible and any
 * unknown column passed through as a string for schema validation to report.
 */
export function productRowFromCsv(values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, spec] of COLUMN_LIST) {
    const raw = values[column];
    if (raw === undefined) continue;
    const value = raw.trim();
    if (value === '' && spec.optional) continue;
    out[column] = convert(spec.kind, value);
  }
  for (const column of Object.keys(values))
    if (!KNOWN.has(column))
      if (column === '__proto__')
        // As JSON.parse would: an own field, not the object's prototype.
        Object.defineProperty(out, column, {
          value: values[column],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[column] = values[column];
  return out;
}
