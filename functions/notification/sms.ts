/**
 * SMS length as carriers count it. A message whose every character is in the GSM 03.38 alphabet
 * is sent as GSM-7: 160 characters in one segment, 153 per segment when split (the basic table's
 * escape characters count twice). Anything else — Vietnamese with its diacritics — goes as UCS-2:
 * 70 UTF-16 code units in one segment, 67 per segment when split. A Vietnamese message that would
 * take more than `maxSegments` is sent unaccented instead (a configurable choice: cheaper, still
 * readable), with `₫` written `d`.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** How a text travels and how many segments it takes. */
export interface SmsLength {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/** The encoding and segment count of `text`. */
export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENSION.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: count(septets, 160, 153) };
  return { encoding: 'UCS-2', units: text.length, segments: count(text.length, 70, 67) };
}

const count = (units: number, single: number, part: number) =>
  units === 0 ? 1 : units <= single ? 1 : Math.ceil(units / part);

/** Vietnamese without its marks (`đ` has no combining form, so it is mapped), `₫` as `d`. */
export function unaccented(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/₫/g, 'd')
    .normalize('NFC');
}

/** The SMS to send: `text`, or its unaccented form when `text` would take more than `maxSegments`. */
export function smsBody(text: string, maxSegments = 2): { body: string; unaccented: boolean } & SmsLength {
  const length = smsLength(text);
  if (length.segments <= maxSegments || length.encoding === 'GSM-7')
    return { body: text, unaccented: false, ...length };
  const plain = unaccented(text);
  return { body: plain, unaccented: true, ...smsLength(plain) };
}
