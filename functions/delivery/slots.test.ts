import fc from 'fast-check';
import {
  generateSlots,
  holdRefusal,
  slotsOn,
  slotStatus,
  templateProblems,
  type SlotTemplate,
} from './slots';
import { addDays, instantAt, localDateOf, weekdayOf } from '../shared/vietnam-time';
import { inRing, resolveZone, wardKey, type Zone } from './zones';

const template: SlotTemplate = {
  zone: 'hcm-quan-1',
  windows: [
    {
      start: '20:00',
      end: '22:00',
      capacity: 10,
      feeVnd: 30_000,
      label: { en: 'Evening peak', vi: 'Giờ cao điểm tối' },
    },
    { start: '08:00', end: '10:00', capacity: 10, feeVnd: 15_000 },
    { start: '22:00', end: '24:00', capacity: 5, feeVnd: 25_000 },
  ],
  cutoffMinutes: 90,
  daysAhead: 3,
  closures: [{ from: '2027-02-05', until: '2027-02-09', reason: { en: 'Tết holiday', vi: 'Nghỉ Tết' } }],
};

describe('Vietnam time', () => {
  it('turns wall-clock times into instants at UTC+7, midnight included', () => {
    expect(instantAt('2026-12-31', '08:00').toISOString()).toBe('2026-12-31T01:00:00.000Z');
    expect(instantAt('2026-12-31', '24:00').toISOString()).toBe('2026-12-31T17:00:00.000Z');
    expect(localDateOf(new Date('2026-12-31T16:59:59Z'))).toBe('2026-12-31');
    expect(localDateOf(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(weekdayOf('2026-12-07')).toBe(1);
  });
});

describe('slots', () => {
  it('generates each day’s windows in order with stable ids, cut-offs and fees', () => {
    const day = slotsOn(template, '2026-12-07');
    expect(day.map((s) => [s.id, s.startsAt.toISOString(), s.cutoffAt.toISOString(), s.feeVnd])).toEqual([
      ['hcm-quan-1:2026-12-07:0800', '2026-12-07T01:00:00.000Z', '2026-12-06T23:30:00.000Z', 15_000],
      ['hcm-quan-1:2026-12-07:2000', '2026-12-07T13:00:00.000Z', '2026-12-07T11:30:00.000Z', 30_000],
      ['hcm-quan-1:2026-12-07:2200', '2026-12-07T15:00:00.000Z', '2026-12-07T13:30:00.000Z', 25_000],
    ]);
    expect(day[2]!.endsAt.toISOString()).toBe('2026-12-07T17:00:00.000Z');
    expect(generateSlots(template, '2026-12-07')).toHaveLength(9);
  });

  it('generates nothing on a closure (Tết) or a weekday the template does not run', () => {
    expect(generateSlots(template, '2027-02-04').map((s) => s.date)).toEqual([
      '2027-02-04',
      '2027-02-04',
      '2027-02-04',
    ]);
    expect(slotsOn({ ...template, weekdays: [1, 2, 3, 4, 5] }, '2026-12-12')).toEqual([]);
  });

  it('closes booking at the cut-off in Vietnam time, across midnight', () => {
    const [early] = slotsOn(template, '2027-01-01');
    // 08:00 on 1 Jan closes at 06:30 — 23:30 UTC on 31 Dec.
    expect(holdRefusal(early!, new Date('2026-12-31T23:29:59Z'))).toBeUndefined();
    expect(holdRefusal(early!, new Date('2026-12-31T23:30:00Z'))).toBe('after_cutoff');
    expect(holdRefusal(early!, new Date('2027-01-01T03:00:00Z'))).toBe('past');
    expect(slotStatus(early!, 0, new Date('2026-12-31T23:30:00Z'))).toBe('closed');
  });

  it.each([
    [0, 'available'],
    [7, 'available'],
    [8, 'few_left'],
    [9, 'few_left'],
    [10, 'full'],
    [12, 'full'],
  ])('with %i of 10 taken the status is %s', (taken, status) => {
    const [slot] = slotsOn(template, '2027-01-02');
    expect(slotStatus(slot!, taken, new Date('2026-12-07T00:00:00Z'))).toBe(status);
  });

  it('every generated slot lies on its Vietnam date and closes before it starts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 600 }), (offset, cutoff) => {
        const from = addDays('2025-01-01', offset);
        for (const s of generateSlots({ ...template, cutoffMinutes: cutoff }, from)) {
          expect(localDateOf(s.startsAt)).toBe(s.date);
          expect(s.cutoffAt.getTime()).toBe(s.startsAt.getTime() - cutoff * 60_000);
          expect(s.endsAt.getTime()).toBeGreaterThan(s.startsAt.getTime());
        }
      }),
      { seed: 17, numRuns: 200 },
    );
  });

  it.each<[string, Partial<SlotTemplate>, string]>([
    [
      'overlapping windows',
      {
        windows: [
          { start: '08:00', end: '10:00', capacity: 1, feeVnd: 0 },
          { start: '09:00', end: '11:00', capacity: 1, feeVnd: 0 },
        ],
      },
      'overlap',
    ],
    [
      'a window ending before it starts',
      { windows: [{ start: '10:00', end: '08:00', capacity: 1, feeVnd: 0 }] },
      'order',
    ],
    ['a malformed time', { windows: [{ start: '8h', end: '10:00', capacity: 1, feeVnd: 0 }] }, 'time'],
    [
      'a fractional capacity',
      { windows: [{ start: '08:00', end: '10:00', capacity: 1.5, feeVnd: 0 }] },
      'range',
    ],
    [
      'a closure ending before it starts',
      { closures: [{ from: '2027-02-09', until: '2027-02-05', reason: { en: 'x', vi: 'x' } }] },
      'range',
    ],
    [
      'an impossible date',
      { closures: [{ from: '2027-02-30', until: '2027-03-01', reason: { en: 'x', vi: 'x' } }] },
      'range',
    ],
    ['weekday 8', { weekdays: [8] }, 'range'],
  ])('refuses %s', (_name, patch, code) => {
    expect(templateProblems(template)).toEqual([]);
    expect(templateProblems({ ...template, ...patch }).map((p) => p.code)).toContain(code);
  });
});

describe('zones', () => {
  const zones: Zone[] = [
    {
      id: 'hcm-quan-1',
      location: 'ch-quan-1',
      province: 'ho-chi-minh',
      wards: ['Phường Bến Thành', 'Phường Sài Gòn'],
      polygons: [
        [
          [106.69, 10.77],
          [106.71, 10.77],
          [106.71, 10.79],
          [106.69, 10.79],
        ],
      ],
    },
    { id: 'hn-cau-giay', location: 'ch-cau-giay', province: 'ha-noi', wards: ['Phường Cầu Giấy'] },
  ];

  it('compares wards without accents, case or the unit word', () => {
    expect(wardKey('Phường  Bến Thành')).toBe('ben thanh');
    expect(wardKey('ben thanh')).toBe('ben thanh');
  });

  it('resolves by coordinates first, then by ward; nothing outside every zone', () => {
    expect(
      resolveZone(
        { province: 'ho-chi-minh', ward: 'Phường Tân Định', geo: { lat: 10.78, lng: 106.7 } },
        zones,
      )?.id,
    ).toBe('hcm-quan-1');
    expect(resolveZone({ province: 'ho-chi-minh', ward: 'phuong sai gon' }, zones)?.id).toBe('hcm-quan-1');
    expect(
      resolveZone({ province: 'ha-noi', ward: 'Phường Cầu Giấy', geo: { lat: 21.03, lng: 105.79 } }, zones)
        ?.id,
    ).toBe('hn-cau-giay');
    expect(
      resolveZone(
        { province: 'ho-chi-minh', ward: 'Phường Thủ Đức', geo: { lat: 10.85, lng: 106.77 } },
        zones,
      ),
    ).toBeUndefined();
    expect(resolveZone({ province: 'da-nang', ward: 'Phường Bến Thành' }, zones)).toBeUndefined();
  });

  it('finds points inside a square and not outside it', () => {
    const square = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ] as const;
    expect(inRing([0.5, 0.5], square)).toBe(true);
    expect(inRing([1.5, 0.5], square)).toBe(false);
    expect(inRing([-0.1, 0.5], square)).toBe(false);
  });
});
