import type { GeoPosition } from '../../shared/platform.js';

/** The mean Earth radius (IUGG); the sphere is off by at most 0.5 %, plenty for "which site is closer". */
export const EARTH_RADIUS_KM = 6371.0088;

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in km. Distances are for display and ordering only, so floats are fine here. */
export function haversineKm(a: GeoPosition, b: GeoPosition): number {
  const dLat = toRadians(b.latitude - a.latitude);
  const dLon = toRadians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  // min(): rounding can push h a hair above 1 for antipodal points, and asin(>1) is NaN.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "0.4 km" near by, "12.3 km" across town, "215 km" when decimals mean nothing. */
export function formatKm(km: number): string {
  if (km < 100) return `${km.toFixed(1)} km`;
  return `${Math.round(km)} km`;
}

export type CoordinatesInput = { kind: 'empty' } | { kind: 'invalid'; message: string } | { kind: 'valid'; position: GeoPosition };

/** Latitude and longitude as typed (a comma is accepted as the decimal separator). */
export function parseCoordinates(latitudeText: string, longitudeText: string): CoordinatesInput {
  const latText = latitudeText.trim().replace(',', '.');
  const lonText = longitudeText.trim().replace(',', '.');
  if (!latText && !lonText) return { kind: 'empty' };
  const number = /^[-+]?\d+(\.\d+)?$/;
  if (!number.test(latText) || !number.test(lonText)) return { kind: 'invalid', message: 'Enter both latitude and longitude as decimal degrees, for example 47.61 and -122.33.' };
  const latitude = Number(latText);
  const longitude = Number(lonText);
  if (latitude < -90 || latitude > 90) return { kind: 'invalid', message: 'Latitude is between -90 and 90.' };
  if (longitude < -180 || longitude > 180) return { kind: 'invalid', message: 'Longitude is between -180 and 180.' };
  return { kind: 'valid', position: { latitude, longitude } };
}
