import { useEffect, useRef, type RefObject } from 'react';
import { ScannerBurst } from './scanner-burst.js';

type TextField = HTMLInputElement | HTMLTextAreaElement;

/**
 * Routes a scan to the scan field when the focus is elsewhere on the
 * receiving screen (a quantity, a button, or nothing at all), so a scan never
 * lands as "4006381333931" in a quantity field and its Enter never presses a
 * button or submits the form. See scanner-burst.ts for how a scan is told
 * from typing.
 *
 * The keys of a scan reach the focused field before the Enter reveals them
 * as a scan; the field's value from before the burst is then put back (with
 * the native setter and an input event, so React's onChange sees it), the
 * code goes to `onScan`, and the scan field takes the focus for the next one.
 */
export function useScannerRouting(root: RefObject<HTMLElement | null>, scanField: RefObject<HTMLInputElement | null>, onScan: (code: string) => void): void {
  const latest = useRef(onScan);
  useEffect(() => {
    latest.current = onScan;
  }, [onScan]);

  useEffect(() => {
    const burst = new ScannerBurst();
    let before: { field: TextField; value: string } | null = null;
    // A scan goes to one element: keys on another element, or a click in between, start afresh.
    let burstTarget: EventTarget | null = null;
    const forget = () => burst.reset();
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target;
      const onScreen = target === document.body || (target instanceof Node && root.current?.contains(target) === true);
      // The scan field handles its own Enter; dialogs and other screens are not ours.
      if (!onScreen || target === scanField.current) return burst.reset();
      if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return burst.reset();
      const at = event.timeStamp || performance.now();
      if (event.key.length === 1) {
        if (target !== burstTarget) burst.reset();
        burstTarget = target;
        if (burst.key(event.key, at)) before = isTextField(target) ? { field: target, value: target.value } : null;
        return;
      }
      if (event.key !== 'Enter') return burst.reset();
      const code = burst.enter(at);
      if (code === null) return;
      event.preventDefault();
      event.stopPropagation();
      if (before && before.field.value !== before.value) setNativeValue(before.field, before.value);
      before = null;
      latest.current(code);
      scanField.current?.focus();
    };
    // Capture phase: before the focused element (or the form around it) acts on the Enter.
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('pointerdown', forget, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('pointerdown', forget, true);
    };
  }, [root, scanField]);
}

function isTextField(target: EventTarget | null): target is TextField {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

/** Sets a React-controlled field's value as typing would: React tracks the native setter's value and listens for input events. */
function setNativeValue(field: TextField, value: string): void {
  const prototype = field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
