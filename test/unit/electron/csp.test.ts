import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy, parseAllowedServers, serverOrigin } from '../../../electron/main/csp.js';

/** The directives of a policy, as name → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

interface CspFinding {
  severity: number;
  directive: string;
  value?: string;
}
interface CspEvaluatorModule {
  CspParser: new (policy: string) => { csp: unknown };
  CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): CspFinding[] };
  Version: { CSP3: unknown };
  severities: Record<'HIGH' | 'SYNTAX' | 'MEDIUM' | 'HIGH_MAYBE', number>;
}
// The evaluator electronegativity runs (it ships no types); the security gate cannot read
// our policy because it is built at run time, so it is evaluated here instead.
const cspEvaluator: CspEvaluatorModule = createRequire(import.meta.url)('@doyensec/csp-evaluator');

describe('the Content-Security-Policy', () => {
  const policy = buildContentSecurityPolicy({ serverOrigins: null });
  const parsed = directives(policy);

  it('never allows eval or inline script', () => {
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('wasm-unsafe-eval');
    expect(parsed.get('script-src')).toEqual(["'self'"]);
  });

  it('restricts the default to the app itself and forbids plugins, frames, base and forms', () => {
    expect(parsed.get('default-src')).toEqual(["'self'"]);
    expect(parsed.get('object-src')).toEqual(["'none'"]);
    expect(parsed.get('frame-src')).toEqual(["'none'"]);
    expect(parsed.get('frame-ancestors')).toEqual(["'none'"]);
    expect(parsed.get('base-uri')).toEqual(["'none'"]);
    expect(parsed.get('form-action')).toEqual(["'none'"]);
  });

  it('lets the renderer reach a loopback backend and, by default, any https server but no plain-http host', () => {
    const connect = parsed.get('connect-src') ?? [];
    expect(connect).toEqual(["'self'", 'http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*', 'https:']);
    expect(connect).not.toContain('http:');
    expect(connect).not.toContain('*');
  });

  it('allows exactly the administrator-listed servers when a list is configured', () => {
    const restricted = directives(buildContentSecurityPolicy({ serverOrigins: ['https://depot.example.com'] }));
    expect(restricted.get('connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:*',
      'http://localhost:*',
      'http://[::1]:*',
      'https://depot.example.com',
    ]);
  });

  it('has no high-severity or syntax finding in the CSP evaluator electronegativity uses', () => {
    const evaluator = new cspEvaluator.CspEvaluator(new cspEvaluator.CspParser(policy).csp, cspEvaluator.Version.CSP3);
    const findings = evaluator.evaluate();
    const { HIGH, SYNTAX, MEDIUM, HIGH_MAYBE } = cspEvaluator.severities;
    expect(findings.filter((f) => f.severity === HIGH || f.severity === SYNTAX || f.severity === HIGH_MAYBE)).toEqual([]);
    // The only medium findings are the loopback http sources, there by design.
    const medium = findings.filter((f) => f.severity === MEDIUM);
    expect(medium.map((f) => f.value).sort()).toEqual(['http://127.0.0.1:*', 'http://[::1]:*', 'http://localhost:*']);
  });
});

describe('the allowed-servers setting', () => {
  it('is unrestricted (null) when unset or blank', () => {
    expect(parseAllowedServers(undefined)).toBeNull();
    expect(parseAllowedServers('  ')).toBeNull();
  });

  it('keeps only origins, without duplicates', () => {
    expect(parseAllowedServers('https://a.example.com/api/v1, https://a.example.com https://b.example.com:8443')).toEqual([
      'https://a.example.com',
      'https://b.example.com:8443',
    ]);
  });

  it('refuses plain http except on loopback, and credentials', () => {
    expect(() => parseAllowedServers('http://depot.example.com')).toThrow(/https/);
    expect(() => serverOrigin('https://user:pw@depot.example.com')).toThrow(/credentials/);
    expect(() => serverOrigin('not a url')).toThrow(/not a URL/);
    expect(serverOrigin('http://127.0.0.1:4310/')).toBe('http://127.0.0.1:4310');
  });
});
