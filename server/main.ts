/**
 * `npm run server [-- --demo]`: starts the Fieldstock sync backend.
 * Configuration comes from the environment (see README.md).
 */
import { buildApp } from './app.js';
import { ensureAdmin } from './auth/bootstrap.js';
import { loadConfig } from './config.js';
import { seedDemo } from './demo/seed.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--demo');
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(' ')}. Usage: npm run server [-- --demo]`);
    process.exit(2);
  }
  const config = loadConfig();
  const fieldstock = await buildApp({ config });
  const { app, ctx } = fieldstock;

  const generated = await ensureAdmin(ctx.store, ctx.auth, config.adminPassword);
  if (generated) {
    // Printed once, to the console only: it is not in the logs and is never shown again.
    process.stdout.write(`\nCreated user "admin" with password: ${generated}\nSet FIELDSTOCK_ADMIN_PASSWORD to choose it. It is not shown again.\n\n`);
  }
  if (args.includes('--demo')) {
    const outcome = await seedDemo(ctx.store, ctx.notifier, ctx.auth);
    app.log.info({ outcome }, outcome === 'seeded' ? 'demo data seeded (users tech1..tech3, clerk1, integration1; password fieldstock-demo)' : 'demo data already present');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    fieldstock
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  app.log.info({ store: ctx.store.description, erp: config.erp }, `Fieldstock backend listening on http://${config.host}:${config.port}`);
}

main().catch((error: unknown) => {
  console.error(`Fieldstock could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
