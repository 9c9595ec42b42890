/** Distances for "Nearby": the haversine formula against known distances, and typed coordinates. */
import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_KM, formatKm, haversineKm, parseCoordinates } from '../../../renderer/warehouses/distance.js';

const SEATTLE = { latitude: 47.6062, longitude: -122.3321 };
const EVERETT = { latitude: 47.979, longitude: -122.2021 };
const LONDON = { latitude: 51.5074, longitude: -0.1278 };
const PARIS = { latitude: 48.8566, longitude: 2.3522 };

describe('haversine distance', () => {
  it('puts Everett about 42.6 km from downtown Seattle', () => {
    expect(haversineKm(SEATTLE, EVERETT)).toBeCloseTo(42.58, 1);
  });

  it('puts Paris about 343.6 km from London', () => {
    expect(haversineKm(LONDON, PARIS)).toBeCloseTo(343.56, 1);
  });

  it('is zero for one place and the same in both directions', () => {
    expect(haversineKm(SEATTLE, SEATTLE)).toBe(0);
    expect(haversineKm(EVERETT, SEATTLE)).toBe(haversineKm(SEATTLE, EVERETT));
  });

  it('measures one degree of latitude as 1/360 of the circumference, and the antipode as half of it', () => {
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 })).toBeCloseTo((2 * Math.PI * EARTH_RADIUS_KM) / 360, 6);
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(haversineKm({ latitude: 90, longitude: 0 }, { latitude: -90, longitude: 0 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
  });

  it('crosses the date line the short way', () => {
    expect(haversineKm({ latitude: 0, longitude: 179.5 }, { latitude: 0, longitude: -179.5 })).toBeCloseTo(111.2, 1);
  });
});

describe('distance text', () => {
  it('shows one decimal near by and whole kilometres far away', () => {
    expect(formatKm(0.04)).toBe('0.0 km');
    expect(formatKm(42.575)).toBe('42.6 km');
    expect(formatKm(343.56)).toBe('344 km');
  });
});

describe('typed coordinates', () => {
  it('accepts decimal degrees with a point or a comma', () => {
    expect(parseCoordinates(' 47.6062 ', '-122,3321')).toEqual({ kind: 'valid', position: { latitude: 47.6062, longitude: -122.3321 } });
  });

  it('treats two empty fields as no position, and anything else unreadable as an error', () => {
    expect(parseCoordinates('', ' ')).toEqual({ kind: 'empty' });
    expect(parseCoordinates('47.6', '').kind).toBe('invalid');
    expect(parseCoordinates('north', '12').kind).toBe('invalid');
    expect(parseCoordinates('91', '0').kind).toBe('invalid');
    expect(parseCoordinates('0', '-180.5').kind).toBe('invalid');
  });
});
