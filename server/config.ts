import path from 'node:path';
import { DEFAULT_THROTTLE } from './auth/throttle.js';
import type { AuthConfig } from './auth/service.js';
import { atLeastOne, type AggregationConfig } from './ledger/aggregation/config.js';
import type { LedgerConfig } from './ledger/post.js';
import { trytonSettingsFrom, type TrytonSettings } from './erp/adapters/tryton/settings.js';
import { assertErpAdapterName } from './erp/registry.js';
import { JOURNAL_MAX_LINES } from '../shared/schemas/journals.js';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  /** The ERP adapter: a folder of server/erp/adapters/ ("none", "tryton"). */
  erp: string;
  /** Longest wait for one ERP call (FIELDSTOCK_ERP_TIMEOUT_MS). */
  erpTimeoutMs: number;
  /** FIELDSTOCK_TRYTON_*; required when erp is "tryton". The password is a Secret (never printed). */
  tryton: TrytonSettings | undefined;
  bodyLimitBytes: number;
  heartbeatMs: number;
  /** Browser origins allowed to call the API cross-origin (the desktop app's own origin by default). */
  corsOrigins: string[];
  logLevel: string;
  auth: AuthConfig;
  ledger: LedgerConfig;
  aggregation: AggregationConfig;
}

/** Reads configuration from the environment; every setting has a sensible default. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const erp = env.FIELDSTOCK_ERP ?? 'none';
  assertErpAdapterName(erp);
  return {
    host: env.FIELDSTOCK_HOST ?? '127.0.0.1',
    port: int(env.FIELDSTOCK_PORT, 4310, 'FIELDSTOCK_PORT', 65_535),
    dataDir: path.resolve(env.FIELDSTOCK_DATA_DIR ?? '.fieldstock-data'),
    databaseUrl: env.DATABASE_URL || undefined,
    adminPassword: env.FIELDSTOCK_ADMIN_PASSWORD || undefined,
    erp,
    erpTimeoutMs: atLeastOne(int(env.FIELDSTOCK_ERP_TIMEOUT_MS, 30_000, 'FIELDSTOCK_ERP_TIMEOUT_MS', 600_000), 'FIELDSTOCK_ERP_TIMEOUT_MS'),
    tryton: trytonSettingsFrom(env, erp === 'tryton'),
    bodyLimitBytes: int(env.FIELDSTOCK_BODY_LIMIT, 1024 * 1024, 'FIELDSTOCK_BODY_LIMIT'),
    heartbeatMs: int(env.FIELDSTOCK_HEARTBEAT_MS, 15_000, 'FIELDSTOCK_HEARTBEAT_MS'),
    corsOrigins: ['app://fieldstock', ...list(env.FIELDSTOCK_CORS_ORIGINS)],
    logLevel: env.FIELDSTOCK_LOG_LEVEL ?? 'info',
    auth: {
      accessTtlMs: int(env.FIELDSTOCK_ACCESS_TTL_S, 15 * 60, 'FIELDSTOCK_ACCESS_TTL_S') * 1000,
      refreshTtlMs: int(env.FIELDSTOCK_REFRESH_TTL_S, 30 * 24 * 3600, 'FIELDSTOCK_REFRESH_TTL_S') * 1000,
      throttle: {
        ...DEFAULT_THROTTLE,
        maxFailures: int(env.FIELDSTOCK_LOGIN_MAX_FAILURES, DEFAULT_THROTTLE.maxFailures, 'FIELDSTOCK_LOGIN_MAX_FAILURES'),
      },
    },
    ledger: {
      overReceiptTolerancePercent: int(env.FIELDSTOCK_OVER_RECEIPT_TOLERANCE_PERCENT, 0, 'FIELDSTOCK_OVER_RECEIPT_TOLERANCE_PERCENT'),
    },
    aggregation: {
      intervalMs: int(env.FIELDSTOCK_AGGREGATION_INTERVAL_MS, 60_000, 'FIELDSTOCK_AGGREGATION_INTERVAL_MS'),
      // An ERP journal is also a replicated document: no more lines than the schema allows.
      maxLinesPerJournal: atLeastOne(int(env.FIELDSTOCK_ERP_JOURNAL_MAX_LINES, JOURNAL_MAX_LINES, 'FIELDSTOCK_ERP_JOURNAL_MAX_LINES', JOURNAL_MAX_LINES), 'FIELDSTOCK_ERP_JOURNAL_MAX_LINES'),
      batchSize: atLeastOne(int(env.FIELDSTOCK_AGGREGATION_BATCH_SIZE, 5_000, 'FIELDSTOCK_AGGREGATION_BATCH_SIZE', 100_000), 'FIELDSTOCK_AGGREGATION_BATCH_SIZE'),
    },
  };
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function int(raw: string | undefined, fallback: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined || raw === '') return fallback;
  // Plain digits only: Number() would read " " as 0, "0x1F" as 31 and "1e3" as 1000.
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, not "${raw}"`);
  if (value > max) throw new Error(`${name} must be at most ${max}, not "${raw}"`);
  return value;
}
