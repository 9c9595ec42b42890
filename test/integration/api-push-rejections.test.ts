import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustment, api, demo, pushNew, startTestServer, type TestServer } from '../helpers/server.js';

interface SetAside {
  collection: string;
  documentId: string | null;
  code: string;
  message: string;
  document: Record<string, unknown>;
}

describe('rows set aside by a push', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('keeps an invalid row whole, with the reason, for administrators to see', async () => {
    const tech = await server.token('tech1');
    const invalid = { ...adjustment({ warehouseId: demo.warehouse('TRUCK-1'), productId: demo.product('P-1001'), quantity: 1 }), colour: 'red' };
    const valid = adjustment({ warehouseId: demo.warehouse('TRUCK-1'), productId: demo.product('P-1001'), quantity: 1 });
    const pushed = await pushNew(server, tech, 'inventoryTransactions', [invalid, valid]);
    expect(pushed.status).toBe(200);

    const admin = await server.token('admin');
    const listed = await api<SetAside[]>(server, admin, 'GET', '/api/v1/admin/push-rejections?collection=inventoryTransactions');
    expect(listed.status).toBe(200);
    const row = listed.body.find((r) => r.documentId === invalid.id);
    expect(row?.code).toBe('invalid-document');
    expect(row?.message).toContain('colour');
    expect(row?.document).toEqual(invalid);
    expect(listed.body.some((r) => r.documentId === valid.id)).toBe(false);
  });

  it('is for administrators only', async () => {
    const tech = await server.token('tech1');
    const listed = await api<{ code: string }>(server, tech, 'GET', '/api/v1/admin/push-rejections');
    expect(listed.status).toBe(403);
    expect(listed.body.code).toBe('forbidden');
  });
});
