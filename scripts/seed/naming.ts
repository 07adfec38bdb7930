/**
 * Shelf-label names and short descriptions in both languages, built from one combination of a base
 * item's options. Vietnamese puts modifiers after the noun ("Sữa tươi tiệt trùng có đường Vinamilk
 * 1 l"); English puts the brand first and most modifiers before the noun ("Vinamilk Sweetened UHT
 * Fresh Milk 1 l").
 */
import { COUNTRIES, type CountryCode } from './brands';
import type { Storage, VariantOption } from './types';
import type { BaseItem, SeedBrand, SeedSize } from './vocabulary';

/** One combination of a base item's options. */
export interface Choice {
  item: BaseItem;
  brand: SeedBrand;
  size: SeedSize;
  /** Items in a multipack; 0 for a single item. */
  pack: number;
  options: readonly VariantOption[];
}

/** Names and descriptions of one product. */
export interface Labels {
  name_vi: string;
  name_en: string;
  description_vi: string;
  description_en: string;
}

const SINGLE_CONTAINERS = new Set(['hộp', 'lon', 'chai', 'lọ', 'ly', 'tô']);

function sizeLabels(size: SeedSize, pack: number): [string, string] {
  if (pack === 0) return [size.labelVi, size.labelEn];
  const qtyVi = size.labelVi.startsWith(`${size.pkg} `)
    ? size.labelVi.slice(size.pkg.length + 1)
    : size.labelVi;
  const word = pack >= 12 ? 'thùng' : SINGLE_CONTAINERS.has(size.pkg) ? 'lốc' : 'combo';
  return [
    `${word} ${pack} ${size.pkg} ${qtyVi}`,
    `${pack >= 12 ? 'Case' : 'Pack'} of ${pack} × ${size.labelEn}`,
  ];
}

function names(c: Choice): { vi: string; en: string; coreVi: string; coreEn: string } {
  const label = c.brand.label;
  const vi = [c.item.vi];
  const before: string[] = [];
  const after: string[] = [];
  if (c.item.brandFirst) vi.push(label);
  // Vietnamese modifiers follow the noun, nearest first; English ones precede it, nearest last.
  for (const [wordVi, wordEn, extra] of c.options) {
    if (wordVi !== '') vi.push(wordVi);
    if (wordEn === '') continue;
    if (extra?.after) after.push(wordEn);
    else before.unshift(wordEn);
  }
  if (!c.item.brandFirst) vi.push(label);
  const en = [label, ...before, c.item.en, ...after];
  // join() yields flat strings: cheaper to hash (name sets) and to keep than chains of concatenations.
  const coreVi = vi.join(' ');
  const coreEn = en.join(' ');
  const [sizeVi, sizeEn] = sizeLabels(c.size, c.pack);
  vi.push(sizeVi);
  en.push(sizeEn);
  return { vi: vi.join(' '), en: en.join(' '), coreVi, coreEn };
}

const days = (n: number, lang: 'vi' | 'en'): string =>
  lang === 'vi' ? `${n} ngày` : n === 1 ? '1 day' : `${n} days`;

function storageClause(storage: Storage, shelf: number | null, liquid: boolean): [string, string] {
  switch (storage) {
    case 'fresh':
      return [
        `bảo quản ngăn mát tủ lạnh, dùng ngon nhất trong ${days(shelf ?? 3, 'vi')}`,
        `keep refrigerated and use within ${days(shelf ?? 3, 'en')}`,
      ];
    case 'chilled':
      return shelf !== null && shelf <= 30
        ? [
            `bảo quản ở 2–6°C, dùng trong ${days(shelf, 'vi')}`,
            `keep refrigerated at 2–6°C and use within ${days(shelf, 'en')}`,
          ]
        : ['bảo quản ở 2–6°C', 'keep refrigerated at 2–6°C'];
    case 'frozen':
      return [
        'bảo quản ở -18°C, không cấp đông lại sau khi rã đông',
        'keep frozen at -18°C; do not refreeze once thawed',
      ];
    case 'ambient':
      return liquid
        ? [
            'bảo quản nơi khô ráo, thoáng mát; sau khi mở bảo quản ở 2–6°C',
            'store in a cool, dry place; refrigerate at 2–6°C after opening',
          ]
        : [
            'bảo quản nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp',
            'store in a cool, dry place away from direct sunlight',
          ];
    case 'nonfood':
      return ['để nơi khô ráo, xa tầm tay trẻ em', 'keep in a dry place out of reach of children'];
  }
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const sentenceCache = new Map<string, readonly [string, string]>();

/** The storage sentence in both languages (cached: there are only a few dozen distinct ones). */
function storageSentences(
  storage: Storage,
  shelf: number | null,
  liquid: boolean,
  byKg: boolean,
): readonly [string, string] {
  const key = `${storage}|${shelf}|${liquid}|${byKg}`;
  let sentences = sentenceCache.get(key);
  if (!sentences) {
    const [vi, en] = storageClause(storage, shelf, liquid);
    sentences = byKg
      ? [`Giá tính theo trọng lượng thực tế; ${vi}.`, `Priced by actual weight; ${en}.`]
      : [`${capital(vi)}.`, `${capital(en)}.`];
    sentenceCache.set(key, sentences);
  }
  return sentences;
}

function originClause(country: CountryCode, storage: Storage): [string, string] {
  const [vi, en] = COUNTRIES[country];
  if (country !== 'vn') return [`nhập khẩu từ ${vi}`, `imported from ${en}`];
  if (storage === 'fresh' || storage === 'chilled') return ['nguồn gốc Việt Nam', 'from Vietnam'];
  return ['sản xuất tại Việt Nam', 'made in Vietnam'];
}

/** Names and a 2-sentence description per language for one combination. */
export function labelsFor(c: Choice, country: CountryCode, storage: Storage, shelf: number | null): Labels {
  const n = names(c);
  const [originVi, originEn] = originClause(country, storage);
  const use = c.item.use;
  const first = [
    `${n.coreVi}, ${originVi}${use ? ` – ${use[0]}` : ''}.`,
    `${n.coreEn}, ${originEn}${use ? ` – ${use[1]}` : ''}.`,
  ];
  const second = storageSentences(storage, shelf, c.size.dim === 'volume', c.item.byKg);
  // The vocabulary is NFC at load time and only concatenated here, so the results are NFC too.
  return {
    name_vi: n.vi,
    name_en: n.en,
    description_vi: [first[0], second[0]].join(' '),
    description_en: [first[1], second[1]].join(' '),
  };
}
