import { formatErrors, formatItem, formatMap, formatStatus } from './cli-format.js';
import { CliError, connect, type CliEnv } from './cli-client.js';
import type { MapStatusView, OutboxItemView, OutboxStatusView } from '../../../shared/erp/outbox-wire.js';
import { OUTBOX_NAME } from './types.js';

export const USAGE = `Usage: npm run erp -- <command> [--json]

  status                      every map: paused or running, items per status, lag, last error
  errors [--map M] [--limit N] poison items and items waiting for a retry, with their errors
  retry <item id>             give a poison item another try (attempts start again)
  pause <map> [--reason TEXT] stop delivering a map; changes keep queuing
  resume <map>                deliver a paused map's queue, in order

Environment: FIELDSTOCK_URL (default http://127.0.0.1:4310), and FIELDSTOCK_ADMIN_TOKEN
or FIELDSTOCK_ADMIN_PASSWORD (with FIELDSTOCK_ADMIN_USERNAME, default "admin").`;

interface Parsed {
  command: string | undefined;
  args: string[];
  options: Map<string, string | true>;
}

function parse(argv: readonly string[]): Parsed {
  const args: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--json') options.set('json', true);
    else if (arg === '--help' || arg === '-h') options.set('help', true);
    else if (arg === '--map' || arg === '--limit' || arg === '--reason') {
      const value = argv[i + 1];
      if (value === undefined) throw new CliError(`${arg} needs a value.\n\n${USAGE}`, 2);
      options.set(arg.slice(2), value);
      i += 1;
    } else if (arg.startsWith('-')) throw new CliError(`Unknown option ${arg}.\n\n${USAGE}`, 2);
    else args.push(arg);
  }
  const [command, ...rest] = args;
  return { command, args: rest, options };
}

function one(parsed: Parsed, what: string): string {
  const [value, ...extra] = parsed.args;
  if (value === undefined || extra.length > 0) throw new CliError(`${parsed.command} takes one ${what}.\n\n${USAGE}`, 2);
  return value;
}

function mapArg(parsed: Parsed): string {
  const map = one(parsed, 'map name');
  if (!OUTBOX_NAME.test(map)) throw new CliError(`"${map}" is not a map name (lower-case letters, digits, ".", "_" and "-").`, 2);
  return map;
}

/** Runs one command; returns the exit code. Output goes to `out`, problems to `err`. */
export async function runCli(argv: readonly string[], env: CliEnv, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  try {
    const parsed = parse(argv);
    if (parsed.options.has('help') || parsed.command === 'help') {
      out(USAGE);
      return 0;
    }
    if (parsed.command === undefined) throw new CliError(USAGE, 2);
    const json = parsed.options.has('json');
    const show = (value: unknown, text: string) => out(json ? JSON.stringify(value, null, 2) : text);
    switch (parsed.command) {
      case 'status': {
        if (parsed.args.length > 0) throw new CliError(`status takes no arguments.\n\n${USAGE}`, 2);
        const client = await connect(env);
        const status = await client.call<OutboxStatusView>('GET', '/api/v1/admin/erp/status');
        show(status, formatStatus(status));
        return 0;
      }
      case 'errors': {
        if (parsed.args.length > 0) throw new CliError(`errors takes no arguments.\n\n${USAGE}`, 2);
        const map = parsed.options.get('map');
        const limit = parsed.options.get('limit');
        if (typeof map === 'string' && !OUTBOX_NAME.test(map)) throw new CliError(`"${map}" is not a map name.`, 2);
        if (typeof limit === 'string' && !/^[0-9]{1,3}$/.test(limit)) throw new CliError('--limit must be a number from 1 to 500.', 2);
        const client = await connect(env);
        const query = (status: string) => {
          const qs = new URLSearchParams({ status, ...(typeof map === 'string' ? { map } : {}), ...(typeof limit === 'string' ? { limit } : {}) });
          return client.call<{ items: OutboxItemView[] }>('GET', `/api/v1/admin/erp/outbox?${qs.toString()}`);
        };
        const poison = (await query('poison')).items;
        const retrying = (await query('pending')).items.filter((i) => i.lastError !== null);
        const items = [...poison, ...retrying];
        show({ items }, formatErrors(items));
        return 0;
      }
      case 'retry': {
        const id = one(parsed, 'item id');
        const client = await connect(env);
        const answer = await client.call<{ item: OutboxItemView }>('POST', `/api/v1/admin/erp/outbox/${encodeURIComponent(id)}/retry`);
        show(answer, formatItem(answer.item));
        return 0;
      }
      case 'pause':
      case 'resume': {
        const map = mapArg(parsed);
        const reason = parsed.options.get('reason');
        if (reason !== undefined && parsed.command === 'resume') throw new CliError('--reason is for pause only.', 2);
        const client = await connect(env);
        const body = parsed.command === 'pause' ? (typeof reason === 'string' ? { reason } : {}) : undefined;
        const status = await client.call<MapStatusView>('POST', `/api/v1/admin/erp/maps/${encodeURIComponent(map)}/${parsed.command}`, body);
        show(status, formatMap(status));
        return 0;
      }
      default:
        throw new CliError(`Unknown command "${parsed.command}".\n\n${USAGE}`, 2);
    }
  } catch (error) {
    if (error instanceof CliError) {
      err(error.message);
      return error.exitCode;
    }
    err(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
