// @vitest-environment happy-dom
/**
 * A warehouse whose last change the ERP refused shows the ERP's message as a
 * warning in its details (announced to screen readers); one without a
 * refusal shows none.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { Warehouse } from '../../../shared/collections.js';
import { WarehouseDetails } from '../../../renderer/warehouses/WarehouseDetails.js';

const BASE: Warehouse = { id: 'w-a', code: 'WH-A', name: 'Depot A', kind: 'warehouse', externallyMaintained: true, allowNegativeStock: true, active: true };

beforeAll(() => {
  // See sign-in.test.tsx: happy-dom's cancelled animations reject unhandled; Fluent skips motion without animate().
  Object.defineProperty(Element.prototype, 'animate', { value: undefined, configurable: true });
});
afterEach(cleanup);

function show(warehouse: Warehouse) {
  render(
    <FluentProvider theme={webLightTheme}>
      <WarehouseDetails warehouse={warehouse} distanceKm={null} inScope onViewStock={() => {}} />
    </FluentProvider>,
  );
}

it("shows the ERP's refusal of the last change as a warning with its message and code", () => {
  show({ ...BASE, erpError: { code: 'erp-user-error', message: 'A value is required for field "Name" in "Location".', at: '2026-11-25T10:00:00.000Z' } });
  const alert = screen.getByRole('alert');
  expect(alert.textContent).toContain('The ERP refused the last change');
  expect(alert.textContent).toContain('A value is required for field "Name" in "Location".');
  expect(alert.textContent).toContain('erp-user-error');
});

it('shows no warning for a warehouse the ERP accepted', () => {
  show(BASE);
  expect(screen.queryByRole('alert')).toBeNull();
  expect(screen.getByRole('heading', { name: 'WH-A — Depot A' })).toBeTruthy();
});
