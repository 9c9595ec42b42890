/**
 * Which way an ERP entity map, or one of its fields, flows. The map files
 * say it (server/erp/maps validates them) and the admin sync status reports
 * it per map, so it is defined here, once, for both.
 */

/** Key fields always flow `both`. */
export type Direction = 'to-erp' | 'from-erp' | 'both';
export const DIRECTIONS: readonly Direction[] = ['to-erp', 'from-erp', 'both'];
