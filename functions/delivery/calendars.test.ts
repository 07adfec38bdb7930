import { windowView } from './calendars';
import type { SlotRow } from './holds';

const row = (extra: Partial<SlotRow> = {}): SlotRow => ({
  id: 'z:2026-12-08:2200',
  calendar: 'z',
  day: '2026-12-08',
  starts_at: new Date('2026-12-08T15:00:00Z'), // 22:00 Vietnam time
  ends_at: new Date('2026-12-08T17:00:00Z'), // 24:00
  cutoff_at: new Date('2026-12-08T13:30:00Z'),
  capacity: 10,
  unit_capacity: null,
  fee_vnd: 25_000,
  label: null,
  withdrawn: false,
  held: 0,
  booked: 0,
  held_units: 0,
  booked_units: 0,
  ...extra,
});

describe('windowView', () => {
  it('shows Vietnam wall-clock times, a window ending at midnight as 24:00', () => {
    expect(windowView(row(), new Date('2026-12-08T01:00:00Z'))).toMatchObject({
      start: '22:00',
      end: '24:00',
      remaining: 10,
    });
    const morning = row({
      starts_at: new Date('2026-12-08T01:00:00Z'),
      ends_at: new Date('2026-12-08T03:00:00Z'),
    });
    expect(windowView(morning, new Date('2026-12-07T20:00:00Z'))).toMatchObject({
      start: '08:00',
      end: '10:00',
    });
  });

  it.each([
    ['available', row(), '2026-12-08T01:00:00Z'],
    ['few_left at 20 % left', row({ held: 5, booked: 3 }), '2026-12-08T01:00:00Z'],
    ['full', row({ held: 4, booked: 6 }), '2026-12-08T01:00:00Z'],
    [
      'full even when capacity was lowered below what is taken',
      row({ capacity: 2, booked: 3 }),
      '2026-12-08T01:00:00Z',
    ],
    ['closed after the cut-off', row(), '2026-12-08T13:30:00Z'],
    ['closed when withdrawn', row({ withdrawn: true }), '2026-12-08T01:00:00Z'],
  ])('%s', (name, slot, at) => {
    expect(windowView(slot, new Date(at)).status).toBe(name.split(' ')[0]);
  });
});
