/**
 * Vietnam's 34 provincial-level units since the 2025 reorganisation (6 centrally governed cities,
 * 28 provinces). Districts no longer exist: an address is street, ward (phường/xã/đặc khu) and
 * province. Ids are stable slugs; names in English and Vietnamese.
 */
export const PROVINCES = [
  ['ha-noi', 'Hanoi', 'Thành phố Hà Nội'],
  ['ho-chi-minh', 'Ho Chi Minh City', 'Thành phố Hồ Chí Minh'],
  ['hai-phong', 'Hai Phong', 'Thành phố Hải Phòng'],
  ['da-nang', 'Da Nang', 'Thành phố Đà Nẵng'],
  ['can-tho', 'Can Tho', 'Thành phố Cần Thơ'],
  ['hue', 'Hue', 'Thành phố Huế'],
  ['an-giang', 'An Giang', 'Tỉnh An Giang'],
  ['bac-ninh', 'Bac Ninh', 'Tỉnh Bắc Ninh'],
  ['ca-mau', 'Ca Mau', 'Tỉnh Cà Mau'],
  ['cao-bang', 'Cao Bang', 'Tỉnh Cao Bằng'],
  ['dak-lak', 'Dak Lak', 'Tỉnh Đắk Lắk'],
  ['dien-bien', 'Dien Bien', 'Tỉnh Điện Biên'],
  ['dong-nai', 'Dong Nai', 'Tỉnh Đồng Nai'],
  ['dong-thap', 'Dong Thap', 'Tỉnh Đồng Tháp'],
  ['gia-lai', 'Gia Lai', 'Tỉnh Gia Lai'],
  ['ha-tinh', 'Ha Tinh', 'Tỉnh Hà Tĩnh'],
  ['hung-yen', 'Hung Yen', 'Tỉnh Hưng Yên'],
  ['khanh-hoa', 'Khanh Hoa', 'Tỉnh Khánh Hòa'],
  ['lai-chau', 'Lai Chau', 'Tỉnh Lai Châu'],
  ['lam-dong', 'Lam Dong', 'Tỉnh Lâm Đồng'],
  ['lang-son', 'Lang Son', 'Tỉnh Lạng Sơn'],
  ['lao-cai', 'Lao Cai', 'Tỉnh Lào Cai'],
  ['nghe-an', 'Nghe An', 'Tỉnh Nghệ An'],
  ['ninh-binh', 'Ninh Binh', 'Tỉnh Ninh Bình'],
  ['phu-tho', 'Phu Tho', 'Tỉnh Phú Thọ'],
  ['quang-ngai', 'Quang Ngai', 'Tỉnh Quảng Ngãi'],
  ['quang-ninh', 'Quang Ninh', 'Tỉnh Quảng Ninh'],
  ['quang-tri', 'Quang Tri', 'Tỉnh Quảng Trị'],
  ['son-la', 'Son La', 'Tỉnh Sơn La'],
  ['tay-ninh', 'Tay Ninh', 'Tỉnh Tây Ninh'],
  ['thai-nguyen', 'Thai Nguyen', 'Tỉnh Thái Nguyên'],
  ['thanh-hoa', 'Thanh Hoa', 'Tỉnh Thanh Hóa'],
  ['tuyen-quang', 'Tuyen Quang', 'Tỉnh Tuyên Quang'],
  ['vinh-long', 'Vinh Long', 'Tỉnh Vĩnh Long'],
] as const;

/** A province id. */
export type ProvinceId = (typeof PROVINCES)[number][0];

/** Province ids, for schemas. */
export const PROVINCE_IDS = PROVINCES.map((p) => p[0]);

/** Bilingual name of a province. */
export function provinceName(id: string): { en: string; vi: string } | undefined {
  const hit = PROVINCES.find((p) => p[0] === id);
  return hit ? { en: hit[1], vi: hit[2] } : undefined;
}

/** Roughly Vietnam's territory, islands included: coordinates outside are a typo. */
export const VIETNAM_BOUNDS = { minLat: 8.0, maxLat: 23.5, minLng: 102.0, maxLng: 117.9 };
