import path from 'node:path';
import { DEFAULT_THROTTLE } from './auth/throttle.js';
import type { AuthConfig } from './auth/service.js';
import { atLeastOne, type AggregationConfig } from './ledger/aggregation/config.js';
import type { LedgerConfig } from './ledger/post.js';
import { trytonSettingsFrom, type TrytonSettings } from './erp/adapters/tryton/settings.js';
import { OUTBOX_DEFAULTS, type OutboxConfig } from './erp/outbox/config.js';
import { resolveMapsDir } from './erp/maps/load.js';
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
  /** The ERP outbox worker (FIELDSTOCK_ERP_OUTBOX_*). */
  erpOutbox: OutboxConfig;
  /** The inbound ERP sync (FIELDSTOCK_ERP_SYNC_*, FIELDSTOCK_ERP_RECONCILE_INTERVAL_MS, FIELDSTOCK_ERP_MAPS_DIR); idle with erp "none". */
  erpSync: { mapsDir: string; intervalMs: number; overlapMs: number; reconcileIntervalMs: number };
  /** Inventory levels from the ERP for externally maintained warehouses (FIELDSTOCK_ERP_LEVELS_INTERVAL_MS; 0: on demand only), run by the sync timer after its maps. */
  erpLevels: { intervalMs: number };
}

/** Reads configuration from the environment; every setting has a sensible default. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const erp = env.FIELDSTOCK_ERP ?? 'none';
  assertErpAdapterName(erp);
  const erpTimeoutMs = atLeastOne(int(env.FIELDSTOCK_ERP_TIMEOUT_MS, 30_000, 'FIELDSTOCK_ERP_TIMEOUT_MS', 600_000), 'FIELDSTOCK_ERP_TIMEOUT_MS');
  return {
    host: env.FIELDSTOCK_HOST ?? '127.0.0.1',
    port: int(env.FIELDSTOCK_PORT, 4310, 'FIELDSTOCK_PORT', 65_535),
    dataDir: path.resolve(env.FIELDSTOCK_DATA_DIR ?? '.fieldstock-data'),
    databaseUrl: env.DATABASE_URL || undefined,
    adminPassword: env.FIELDSTOCK_ADMIN_PASSWORD || undefined,
    erp,
    erpTimeoutMs,
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
    erpOutbox: outboxConfig(env, erpTimeoutMs),
    erpSync: {
      mapsDir: resolveMapsDir(erp, env),
      intervalMs: int(env.FIELDSTOCK_ERP_SYNC_INTERVAL_MS, 30_000, 'FIELDSTOCK_ERP_SYNC_INTERVAL_MS'),
      overlapMs: int(env.FIELDSTOCK_ERP_SYNC_OVERLAP_MS, 5_000, 'FIELDSTOCK_ERP_SYNC_OVERLAP_MS', 86_400_000),
      reconcileIntervalMs: int(env.FIELDSTOCK_ERP_RECONCILE_INTERVAL_MS, 600_000, 'FIELDSTOCK_ERP_RECONCILE_INTERVAL_MS'),
    },
    erpLevels: { intervalMs: int(env.FIELDSTOCK_ERP_LEVELS_INTERVAL_MS, 300_000, 'FIELDSTOCK_ERP_LEVELS_INTERVAL_MS') },
  };
}

function outboxConfig(env: NodeJS.ProcessEnv, erpTimeoutMs: number): OutboxConfig {
  const d = OUTBOX_DEFAULTS;
  const positive = (name: string, fallback: number, max?: number) => atLeastOne(int(env[name], fallback, name, max), name);
  const config: OutboxConfig = {
    intervalMs: int(env.FIELDSTOCK_ERP_OUTBOX_INTERVAL_MS, d.intervalMs, 'FIELDSTOCK_ERP_OUTBOX_INTERVAL_MS'),
    batchSize: positive('FIELDSTOCK_ERP_OUTBOX_BATCH', d.batchSize, 1_000),
    maxAttempts: positive('FIELDSTOCK_ERP_OUTBOX_MAX_ATTEMPTS', d.maxAttempts, 1_000),
    backoffBaseMs: positive('FIELDSTOCK_ERP_OUTBOX_BACKOFF_BASE_MS', d.backoffBaseMs),
    backoffFactor: positive('FIELDSTOCK_ERP_OUTBOX_BACKOFF_FACTOR', d.backoffFactor, 10),
    backoffMaxMs: positive('FIELDSTOCK_ERP_OUTBOX_BACKOFF_MAX_MS', d.backoffMaxMs),
    leaseMs: positive('FIELDSTOCK_ERP_OUTBOX_LEASE_MS', d.leaseMs),
    alertThreshold: positive('FIELDSTOCK_ERP_OUTBOX_ALERT_THRESHOLD', d.alertThreshold),
  };
  if (config.backoffMaxMs < config.backoffBaseMs) {
    throw new Error(`FIELDSTOCK_ERP_OUTBOX_BACKOFF_MAX_MS (${config.backoffMaxMs}) must be at least FIELDSTOCK_ERP_OUTBOX_BACKOFF_BASE_MS (${config.backoffBaseMs})`);
  }
  // A lease shorter than an ERP call would hand an item still being delivered to another worker.
  if (config.leaseMs <= erpTimeoutMs) {
    throw new Error(`FIELDSTOCK_ERP_OUTBOX_LEASE_MS (${config.leaseMs}) must be longer than FIELDSTOCK_ERP_TIMEOUT_MS (${erpTimeoutMs})`);
  }
  return config;
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
