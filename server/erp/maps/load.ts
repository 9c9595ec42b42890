/**
 * Loads a folder of map files (one YAML file per entity), validates all of
 * them and the links between them, and refuses the whole set with every
 * problem listed (file, line, path, what is wrong) if anything is off. A
 * connector never starts on a half-valid set of maps.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { Problems, formatPath, validateMap, type PathSegment } from './validate.js';
import type { ChildMap, EntityMap, FieldMap, MapBody, MapProblem, MapSet } from './types.js';

export const MAP_FILE = /\.ya?ml$/i;

/** The maps folder: FIELDSTOCK_ERP_MAPS_DIR, else config/erp-maps/<adapter> under the working directory. */
export function resolveMapsDir(adapter: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const configured = env.FIELDSTOCK_ERP_MAPS_DIR;
  return configured ? path.resolve(cwd, configured) : path.resolve(cwd, 'config', 'erp-maps', adapter);
}

export type LoadResult = { ok: true; set: MapSet } | { ok: false; problems: MapProblem[] };

export class MapConfigError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly MapProblem[],
  ) {
    super(formatProblems(dir, problems));
    this.name = 'MapConfigError';
  }
}

export function formatProblem(problem: MapProblem): string {
  const where = problem.line !== undefined ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

export function formatProblems(dir: string, problems: readonly MapProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`ERP maps in ${dir} have ${count}; fix them and start again:`, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n');
}

function lineFinder(doc: Document, counter: LineCounter): (path: readonly PathSegment[]) => number | undefined {
  return (segments) => {
    // The nearest node that exists: a missing key is reported at its parent.
    for (let n = segments.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) return counter.linePos(range[0]).line;
    }
    return undefined;
  };
}

/** Reads and validates one map file. */
export function loadMapFile(file: string): { map?: EntityMap; problems: MapProblem[]; lineOf?: (path: readonly PathSegment[]) => number | undefined } {
  const base = path.basename(file);
  const name = base.replace(MAP_FILE, '');
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [{ file: base, path: '', message: `cannot read the file: ${(error as Error).message}` }] };
  }
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        file: base,
        path: '',
        ...(e.linePos?.[0] ? { line: e.linePos[0].line } : {}),
        // The line is given separately; drop the code frame and its "at line, column" lead-in.
        message: `not valid YAML: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    };
  }
  const problems = new Problems();
  const map = validateMap(doc.toJS() as unknown, name, base, problems);
  const lineOf = lineFinder(doc, counter);
  return {
    ...(map ? { map } : {}),
    lineOf,
    problems: problems.list.map((p) => {
      const line = lineOf(p.path);
      return { file: base, path: formatPath(p.path), ...(line !== undefined ? { line } : {}), message: p.message };
    }),
  };
}

/** Loads and validates every map in a folder; problems of all files at once. */
export function loadMaps(dir: string): LoadResult {
  const folder = path.resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return { ok: false, problems: [{ file: folder, path: '', message: 'the ERP maps folder does not exist (set FIELDSTOCK_ERP_MAPS_DIR or create it)' }] };
  }
  const files = readdirSync(folder)
    .filter((f) => MAP_FILE.test(f))
    .sort();
  const problems: MapProblem[] = [];
  const maps: EntityMap[] = [];
  const names = new Map<string, string>();
  const lines = new Map<string, (path: readonly PathSegment[]) => number | undefined>();
  for (const f of files) {
    const name = f.replace(MAP_FILE, '');
    const clash = names.get(name);
    if (clash) {
      problems.push({ file: f, path: '', message: `map name "${name}" is also used by ${clash}; map names come from file names and must be unique` });
      continue;
    }
    names.set(name, f);
    const result = loadMapFile(path.join(folder, f));
    problems.push(...result.problems);
    if (result.map) maps.push(result.map);
    if (result.lineOf) lines.set(f, result.lineOf);
  }
  for (const problem of crossFileProblems(maps, new Set(names.keys()))) {
    const line = lines.get(problem.segments[0] as string)?.(problem.segments.slice(1));
    problems.push({ file: problem.file, path: formatPath(problem.segments.slice(1)), ...(line !== undefined ? { line } : {}), message: problem.message });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, set: { dir: folder, maps } };
}

/** Loads a folder or throws MapConfigError naming every problem: for use at startup. */
export function loadMapsOrThrow(dir: string): MapSet {
  const result = loadMaps(dir);
  if (!result.ok) throw new MapConfigError(path.resolve(dir), result.problems);
  return result.set;
}

function* fieldsWithPaths(body: MapBody, prefix: PathSegment[] = []): Generator<{ field: FieldMap; path: PathSegment[] }> {
  for (const [i, field] of body.fields.entries()) yield { field, path: [...prefix, 'fields', i, 'ref'] };
  for (const [i, child] of body.children.entries()) yield* fieldsWithPaths(child as ChildMap, [...prefix, 'children', i]);
}

/** A cross-file problem; segments[0] is the file, the rest the path in it. */
interface CrossProblem {
  file: string;
  segments: PathSegment[];
  message: string;
}

/** Two enabled maps may share a collection only when each owns a slice of it (referenceData by kind). */
function partitioned(a: EntityMap, b: EntityMap): boolean {
  return a.filter.local.some(
    (fa) => fa.op === 'equals' && b.filter.local.some((fb) => fb.op === 'equals' && fb.field === fa.field && fb.values[0] !== fa.values[0]),
  );
}

function crossFileProblems(maps: readonly EntityMap[], fileNames: ReadonlySet<string>): CrossProblem[] {
  const problems: CrossProblem[] = [];
  const byName = new Map(maps.map((m) => [m.name, m]));
  const enabled = maps.filter((m) => m.enabled);
  for (const [i, map] of enabled.entries()) {
    for (const other of enabled.slice(0, i)) {
      if (other.collection === map.collection && !partitioned(map, other)) {
        problems.push({
          file: map.file,
          segments: [map.file, 'collection'],
          message: `duplicate map for collection ${map.collection}: ${other.file} maps it too. Disable one, or give each a local filter "equals" on the same field with different values`,
        });
      }
    }
  }
  for (const map of maps) {
    for (const { field, path: at } of fieldsWithPaths(map)) {
      if (field.ref === undefined) continue;
      const target = byName.get(field.ref);
      // A file that failed to load has its own problems listed; don't add a confusing "no such map".
      if (!target && fileNames.has(field.ref)) continue;
      if (!target) problems.push({ file: map.file, segments: [map.file, ...at], message: `refers to map "${field.ref}", but there is no ${field.ref}.yaml (maps: ${[...fileNames].join(', ')})` });
      else if (map.enabled && !target.enabled) problems.push({ file: map.file, segments: [map.file, ...at], message: `refers to map "${field.ref}", which is disabled; enable it or disable this map` });
    }
  }
  return problems;
}
