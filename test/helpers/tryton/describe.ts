import { describe } from 'vitest';
import { trytonUnavailableReason } from './binaries.js';

let warned = false;

type Describe = ReturnType<typeof describe.runIf>;

/**
 * `describe` when trytond is installed; otherwise `describe.skip`, printing
 * the reason (once per test file) when first used.
 */
export const describeIfTryton: Describe =
  trytonUnavailableReason() === undefined
    ? describe
    : new Proxy(describe.skip, {
        apply(target, thisArg, args) {
          if (!warned) {
            warned = true;
            console.warn(`[fieldstock tests] skipping Tryton tests: ${trytonUnavailableReason() ?? ''}`);
          }
          return Reflect.apply(target, thisArg, args);
        },
      });
