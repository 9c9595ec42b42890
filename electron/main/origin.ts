/**
 * The renderer's one origin. The built renderer is served by the app://
 * protocol (protocol.ts) rather than file://, so the page has a real origin
 * that CSP, navigation checks and IPC sender checks can all compare against.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'fieldstock';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** True only for URLs on the app's own origin. */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  // Node's URL reports the origin of a non-special scheme as "null", so the
  // parts are compared instead; a user or port would make it another origin.
  return (
    url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && url.port === '' && url.username === '' && url.password === ''
  );
}
