import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A password or key that must never reach a log line, an error or a JSON
 * answer: printing, inspecting or serializing it (or the config holding it)
 * shows "[redacted]"; only `reveal()` gives the value, at the one place that
 * sends it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
